import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as aggregator } from '../../functions/aggregator/handler';
import { toLambdaRecord } from '../../infra/local/stream-poller';
import { reconcile } from '../../scripts/reports-rebuild';
import { isSuppressed } from '../../shared/domain/disclosure';
import { contributions, distinctCounters, metricById, parseCellKey, sumContributions, type MetricId } from '../../shared/domain/metrics';
import { CSV_HEADER, CSV_SUPPRESSED } from '../../shared/domain/reports';
import { applyChange, unitsOf, partsOf } from '../../shared/store/aggregates';
import { getDocumentClient } from '../../shared/store/client';
import { isJourneyItem, referenceCountsOf } from '../../shared/store/reference-counts';
import { parseCsv } from '../support/csv';
import { keys } from '../../shared/store/keys';
import { daysAgo, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();
const tok = (u: string) => t.tokenFor(u);
const tables = () => ({ caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });
const thisMonth = () => ukToday().slice(0, 7);
const monthsAgo = (n: number) => {
  const d = new Date(`${thisMonth()}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
};

/**
 * Every counter (as pk|sk → n) and reference count (as ledger|referenceKey → n), not the processed markers nor the
 * journeys (a reference's dates and sessions, not counts: what they move shows in the counters).
 */
async function snapshot(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(new ScanCommand({ TableName: t.env.tableNames.Aggregates, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      // Markers, journeys and the years' counter tokens (random: they move with every change) are not figures.
      if (String(item['pk']).startsWith('PROCESSED#') || isJourneyItem(String(item['pk'])) || item['pk'] === keys.countedYear('').pk) continue;
      const references = referenceCountsOf(item);
      if (references) for (const [key, n] of references.counts) out.set(`${references.ledger}|${key}`, n);
      else out.set(`${item['pk']}|${item['sk']}`, Number(item['n']));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Every record of the case table's stream so far, as Lambda hands them over (for replays). */
async function allStreamRecords(): Promise<DynamoDBStreamEvent['Records']> {
  const endpoint = t.env.dynamo.endpoint;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const tablesClient = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'eu-west-2', credentials });
  const arn = (await tablesClient.send(new DescribeTableCommand({ TableName: t.env.tableNames.Case }))).Table?.LatestStreamArn as string;
  const records: _Record[] = [];
  for (const shard of (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? []) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  tablesClient.destroy();
  streams.destroy();
  return records.map((r) => toLambdaRecord(r, arn));
}

async function expectCountersReconcile() {
  await t.env.drainStreams();
  const report = await reconcile(t.db, tables());
  expect(report.differences, JSON.stringify(report.differences.slice(0, 5))).toEqual([]);
  return report;
}

const both = ['service-victim-support', 'service-citizens-advice', 'service-gp-health', 'service-mash', 'service-galop'];

function contactBody(o: { strands: string[]; setting: string; gender?: string | undefined; before: boolean; daysAgo: number; services: string[]; modes: boolean[]; reference?: string }) {
  return validContact({
    contactDate: daysAgo(o.daysAgo),
    setting: o.setting,
    strands: o.strands,
    dasvForms: o.strands.includes('dasv') ? ['controlling_or_coercive'] : [],
    hateMotivations: o.strands.includes('hate_crime') ? ['religion_or_belief'] : [],
    hateIncidentKinds: o.strands.includes('hate_crime') ? ['verbal_abuse'] : [],
    demographics: o.gender ? { gender: o.gender, ageBand: '25_34' } : {},
    beforePoliceOrEmergency: o.before,
    signposting: o.services.map((serviceId, i) => ({ serviceId, mode: o.modes[i] ? 'referral_with_consent' : 'information_given' })),
    ...(o.reference ? { contactReference: o.reference } : {}),
  });
}

const strandsArb: fc.Arbitrary<string[]> = fc.constantFrom<string[]>(['dasv'], ['hate_crime'], ['dasv', 'hate_crime']);
const contactArb = fc.record({
  user: fc.constantFrom('champion-a1', 'champion-b1'),
  strands: strandsArb,
  setting: fc.constantFrom('place_of_worship', 'community_centre', 'phone'),
  gender: fc.option(fc.constantFrom('woman', 'man', 'woman'), { nil: undefined }),
  before: fc.boolean(),
  daysAgo: fc.integer({ min: 0, max: 25 }),
  services: fc.subarray(both, { minLength: 1, maxLength: 3 }),
  modes: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  repeatOf: fc.option(fc.nat(), { nil: undefined }),
});

type ContactSpec = typeof contactArb extends fc.Arbitrary<infer R> ? R : never;
type Action =
  | { kind: 'create'; c: ContactSpec }
  | { kind: 'correct'; i: number; strands: string[]; setting: string; daysAgo: number; gender: string | undefined; services: string[] }
  | { kind: 'delete'; i: number }
  | { kind: 'outcome'; i: number; outcome: string }
  | { kind: 'escalate'; i: number; reason: string; before: boolean }
  | { kind: 'advance'; i: number; withdraw: boolean };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: contactArb.map((c) => ({ kind: 'create' as const, c })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      i: fc.nat(),
      strands: strandsArb,
      setting: fc.constantFrom('school_college', 'phone'),
      daysAgo: fc.integer({ min: 0, max: 25 }),
      gender: fc.option(fc.constantFrom('woman', 'non_binary'), { nil: undefined }),
      services: fc.subarray(both, { minLength: 1, maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outcome' as const), i: fc.nat(), outcome: fc.constantFrom('engaged', 'did_not_engage', 'unknown') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('escalate' as const), i: fc.nat(), reason: fc.constantFrom('asks_for_specialist_support', 'high_risk_indicators', 'other'), before: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), i: fc.nat(), withdraw: fc.boolean() }) },
);

interface Logged {
  id: string;
  user: string;
  version: number;
  reference: string;
  deleted: boolean;
  signposting: Array<{ id: string }>;
}
interface Raised {
  id: string;
  version: number;
  state: string;
}

const stats = { created: 0, corrected: 0, deleted: 0, outcomes: 0, escalated: 0, transitions: 0 };

async function run(actions: Action[]) {
  const contacts: Logged[] = [];
  const escalations: Raised[] = [];
  /** The i-th element, wrapping round; -1 is the last. */
  const pick = <T>(list: T[], i: number) => (list.length === 0 ? undefined : list[((i % list.length) + list.length) % list.length]);
  for (const a of actions) {
    if (a.kind === 'create') {
      const c = a.c;
      // References are per team (issue 19): a repeat quotes a reference its own team gave (champion-a… or champion-b…).
      const teamOf = (user: string) => user.replace(/\d+$/, '');
      const repeat = c.repeatOf !== undefined ? pick(contacts.filter((x) => teamOf(x.user) === teamOf(c.user)), c.repeatOf) : undefined;
      const res = await t.api('POST', '/contacts', { token: await tok(c.user), body: contactBody({ ...c, ...(repeat ? { reference: repeat.reference } : {}) }) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      stats.created += 1;
      contacts.push({ id: res.body.id, user: c.user, version: res.body.version, reference: res.body.contactReference, deleted: false, signposting: res.body.signposting });
    } else if (a.kind === 'correct') {
      const c = pick(contacts.filter((x) => !x.deleted), a.i);
      if (!c) continue;
      const body = {
        version: c.version,
        ...contactBody({ strands: a.strands, setting: a.setting, gender: a.gender, before: a.strands.includes('dasv'), daysAgo: a.daysAgo, services: a.services, modes: [false, true] }),
      } as Record<string, unknown>;
      delete body['priorHelp'];
      const res = await t.api('PATCH', `/contacts/${c.id}`, { token: await tok(c.user), body });
      if (res.status === 200) {
        c.version = res.body.version;
        c.signposting = res.body.signposting;
        stats.corrected += 1;
      } else expect([400, 409, 422], JSON.stringify(res.body)).toContain(res.status); // e.g. it has an escalation
    } else if (a.kind === 'delete') {
      const c = pick(contacts.filter((x) => !x.deleted), a.i);
      if (!c) continue;
      const res = await t.api('DELETE', `/contacts/${c.id}`, { token: await tok(c.user === 'champion-b1' ? 'supervisor-b' : 'supervisor-a'), body: { reason: 'Logged twice by mistake.' } });
      if (res.status === 200 || res.status === 204) {
        c.deleted = true;
        stats.deleted += 1;
      }
      else expect(res.status, JSON.stringify(res.body)).toBe(409);
    } else if (a.kind === 'outcome') {
      const c = pick(contacts.filter((x) => !x.deleted), a.i);
      if (!c || !c.signposting[0]) continue;
      const res = await t.api('PUT', `/contacts/${c.id}/signposting/${c.signposting[0].id}/outcome`, { token: await tok(c.user), body: { outcome: a.outcome } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      stats.outcomes += 1;
    } else if (a.kind === 'escalate') {
      const c = pick(contacts.filter((x) => !x.deleted), a.i);
      if (!c) continue;
      const res = await t.api('POST', `/contacts/${c.id}/escalations`, { token: await tok(c.user), body: { reason: a.reason, consent: 'yes' } });
      if (res.status === 201) {
        escalations.push({ id: res.body.id, version: res.body.version, state: res.body.state });
        stats.escalated += 1;
        c.version += 1; // the contact is flagged
      } else expect([409, 422, 400], JSON.stringify(res.body)).toContain(res.status);
    } else {
      const e = pick(escalations.filter((x) => !['closed', 'withdrawn'].includes(x.state)), a.i);
      if (!e) continue;
      const next: Record<string, Record<string, unknown>> = {
        raised: a.withdraw ? { to: 'withdrawn', reason: 'Person asked us to stop.' } : { to: 'triaged', targetServiceKind: 'idva' },
        triaged: a.withdraw ? { to: 'withdrawn', reason: 'Person asked us to stop.' } : { to: 'referred', serviceId: 'service-victim-support', referredOn: ukToday(), mode: 'referral_with_consent' },
        referred: { to: 'outcome_recorded', outcome: 'accepted_by_service' },
        outcome_recorded: { to: 'closed' },
      };
      const body = { ...next[e.state], version: e.version };
      const supervisor = (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.escalation(e.id), ConsistentRead: true }))).Item?.['teamId'] === 'team-b' ? 'supervisor-b' : 'supervisor-a';
      const res = await t.api('POST', `/escalations/${e.id}/transitions`, { token: await tok(supervisor), body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      e.version = res.body.version;
      e.state = res.body.state;
      stats.transitions += 1;
    }
  }
}

describe('the aggregator keeps every counter equal to a recomputation from the source', () => {
  beforeAll(async () => {
    await t.env.drainStreams();
  });

  it('after random creates, corrections, deletions, outcomes and escalation transitions through the API; a replay of the whole stream changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 1000 }), async (actions, seed) => {
        // Every sequence ends with a new contact whose follow-up outcome is recorded and which is escalated and
        // moved on, so each run changes records as well as creating them, whatever the random actions were.
        const create = fc.sample(contactArb, { numRuns: 1, seed })[0]!;
        await run([...actions, { kind: 'create', c: { ...create, repeatOf: undefined } }, { kind: 'outcome', i: -1, outcome: 'engaged' }, { kind: 'escalate', i: -1, reason: 'other', before: true }, { kind: 'advance', i: -1, withdraw: false }, { kind: 'advance', i: -1, withdraw: false }]);
        await expectCountersReconcile();
      }),
      { numRuns: 6 },
    );
    expect(stats.created).toBeGreaterThan(6);
    expect(stats.escalated).toBeGreaterThan(0);
    expect(stats.transitions).toBeGreaterThan(0);
    expect(stats.corrected + stats.deleted + stats.outcomes).toBeGreaterThan(0);
    const before = await snapshot();
    expect(before.size).toBeGreaterThan(0);
    // Redeliver every record the stream holds, in two overlapping batches: markers make each a no-op.
    const records = await allStreamRecords();
    expect(records.length).toBeGreaterThan(10);
    for (const batch of [records.slice(0, Math.ceil(records.length / 2) + 5), records.slice(Math.floor(records.length / 2))]) {
      expect((await aggregator(batch.length ? { Records: batch } : { Records: [] })).batchItemFailures).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);
    await expectCountersReconcile();
  }, 240_000);
});

describe('failures and retries', () => {
  const NAME = 'failAggregatorWrites';
  afterEach(() => getDocumentClient().middlewareStack.remove(NAME));

  it('a stream batch where one record fails is retried without double counting', async () => {
    await t.env.drainStreams();
    let failures = 0;
    getDocumentClient().middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> };
        const marker = String(input.TransactItems?.[0]?.Put?.Item?.['pk'] ?? '');
        // Fail the aggregator's first two transactions: the records before them are kept, the rest retried.
        if (marker.startsWith('PROCESSED#') && failures < 2) {
          failures += 1;
          throw Object.assign(new Error('injected'), { name: 'InternalServerError' });
        }
        return next(args);
      },
      { step: 'initialize', name: NAME },
    );
    for (let i = 0; i < 3; i += 1) {
      const res = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ beforePoliceOrEmergency: i % 2 === 0 }) });
      expect(res.status).toBe(201);
    }
    await expectCountersReconcile();
    expect(failures).toBe(2);
  });

  it('a record split over several transactions applies each part once, even when a later part fails', async () => {
    const item = {
      ...keys.contact('contact-split-test'),
      type: 'contact',
      id: 'contact-split-test',
      status: 'active',
      contactDate: `${monthsAgo(14)}-15`,
      strands: ['dasv', 'hate_crime'],
      teamId: 'team-split',
      setting: 'phone',
      demographics: { gender: 'woman', ageBand: '25_34', ethnicGroup: 'white_roma', religion: 'christian' },
      beforePoliceOrEmergency: true,
      contactReference: 'WM-SPLT-00',
    };
    const change = { eventId: 'split-event-1', eventName: 'INSERT' as const, newImage: item, byTtl: false };
    const parts = partsOf(unitsOf(change), 7);
    expect(parts.length).toBeGreaterThan(3);
    expect(partsOf(unitsOf(change), 7)).toEqual(parts); // the same split every time

    let calls = 0;
    getDocumentClient().middlewareStack.add(
      (next) => async (args) => {
        const marker = String((args.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> }).TransactItems?.[0]?.Put?.Item?.['pk'] ?? '');
        if (marker === 'PROCESSED#split-event-1') {
          calls += 1;
          if (calls === 3) throw Object.assign(new Error('injected'), { name: 'ValidationException' });
        }
        return next(args);
      },
      { step: 'initialize', name: NAME },
    );
    await expect(applyChange(change, new Date(), 7)).rejects.toThrow('injected');
    const retried = await applyChange(change, new Date(), 7);
    expect(retried.alreadyApplied).toBe(2);
    expect(retried.applied).toBe(parts.length - 2);
    expect((await applyChange(change, new Date(), 7)).alreadyApplied).toBe(parts.length);

    // Each counter moved by exactly what the record contributes.
    const expected = contributions(item);
    for (const [key, n] of expected.counters) {
      const [metric, dim, value, periodKind, period, series] = key.split('|') as [MetricId, string, string, string, string, string];
      const stored = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: keys.counter({ metric, dim, periodKind, period, value, series }) }));
      expect(stored.Item?.['n'], key).toBe(n);
    }
    const distinct = await t.db.send(
      new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: keys.counter({ metric: 'contact_references', dim: 'team', periodKind: 'year', period: monthsAgo(14).slice(0, 4), value: 'team-split', series: '*' }) }),
    );
    expect(distinct.Item?.['n']).toBe(1);
    // Undo the synthetic record so the table reconciles again.
    await applyChange({ eventId: 'split-event-2', eventName: 'REMOVE', oldImage: item, byTtl: false }, new Date(), 7);
    await expectCountersReconcile();
  });
});

describe('a whole batch in few transactions', () => {
  const NAME = 'failBatchTransaction';
  afterEach(() => getDocumentClient().middlewareStack.remove(NAME));

  /** Synthetic contacts of a month no other test writes, as the case table's stream would deliver them. */
  const month = monthsAgo(17);
  const item = (i: number) => ({
    ...keys.contact(`contact-batch-${i}`),
    type: 'contact',
    id: `contact-batch-${i}`,
    status: 'active',
    contactDate: `${month}-${String(1 + (i % 28)).padStart(2, '0')}`,
    strands: i % 3 === 0 ? ['dasv', 'hate_crime'] : ['dasv'],
    teamId: i % 2 === 0 ? 'team-batch-a' : 'team-batch-b',
    setting: i % 4 === 0 ? 'phone' : 'place_of_worship',
    demographics: i % 5 === 0 ? {} : { gender: 'woman', ageBand: '25_34' },
    beforePoliceOrEmergency: i % 2 === 1,
    // Every third contact repeats the previous one's reference: distinct references count it once.
    contactReference: `WM-BTCH-${String(i % 3 === 2 ? i - 1 : i).padStart(2, '0')}`,
  });
  const items = Array.from({ length: 24 }, (_, i) => item(i));
  const record = (i: number, eventName: 'INSERT' | 'REMOVE', run: string): DynamoDBStreamEvent['Records'][number] => ({
    eventID: `batch-${run}-${i}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(1000 + i),
      ...(eventName === 'INSERT' ? { NewImage: marshall(items[i]) as never } : { OldImage: marshall(items[i]) as never }),
    },
  });
  const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, n]) => n !== 0));
  /** after − before, item by item (pk|sk). */
  const moved = (before: Map<string, number>, after: Map<string, number>) =>
    nonZero(new Map([...new Set([...before.keys(), ...after.keys()])].map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)])));

  it('sums a batch by key into few transactions; a transaction failing in the middle, then a redelivery overlapping what was applied, count every record once', async () => {
    await t.env.drainStreams();
    const before = await snapshot();
    const inserts = items.map((_, i) => record(i, 'INSERT', 'insert'));

    let transactions = 0;
    let failed = 0;
    const failAt = 'PROCESSED#batch-insert-12';
    getDocumentClient().middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> };
        const markers = (input.TransactItems ?? []).map((a) => String(a.Put?.Item?.['pk'] ?? '')).filter((pk) => pk.startsWith('PROCESSED#batch-insert-'));
        if (markers.length > 0) {
          transactions += 1;
          if (markers.includes(failAt) && failed === 0) {
            failed += 1;
            throw Object.assign(new Error('injected'), { name: 'InternalServerError' });
          }
        }
        return next(args);
      },
      { step: 'initialize', name: NAME },
    );

    // The year's counter token (shared/store/counted-years.ts) moves after every delivery that moved, or found moved, its counters.
    const token = async () => (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: keys.countedYear(month.slice(0, 4)), ConsistentRead: true }))).Item?.['t'];
    const tokenBefore = await token();

    // The transaction holding record 12 fails: the batch reports the first record of its group, and nothing from there on counts.
    const first = await aggregator({ Records: inserts });
    const tokenAfterFailure = await token();
    expect(tokenAfterFailure).not.toEqual(tokenBefore);
    expect(failed).toBe(1);
    expect(first.batchItemFailures).toHaveLength(1);
    const failedAt = inserts.findIndex((r) => r.dynamodb?.SequenceNumber === first.batchItemFailures[0]!.itemIdentifier);
    expect(failedAt).toBeGreaterThan(0);
    expect(failedAt).toBeLessThanOrEqual(12);
    const markerOf = async (i: number) =>
      (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: keys.processedRecord(`batch-insert-${i}`, 0), ConsistentRead: true }))).Item;
    for (let i = 0; i < inserts.length; i += 1) expect(Boolean(await markerOf(i)), `record ${i}`).toBe(i < failedAt);
    // Fewer transactions than records: deltas of several records share one.
    expect(transactions - 1).toBeLessThan(failedAt);

    // Redelivery of part of the batch, overlapping what was applied (as a retry after a bisected or re-read batch could).
    const overlap = Math.max(0, failedAt - 5);
    expect((await aggregator({ Records: inserts.slice(overlap) })).batchItemFailures).toEqual([]);
    // And the whole batch again: changes nothing but the token (an earlier delivery may have stopped before moving it).
    const once = await snapshot();
    const tokenOnce = await token();
    expect(tokenOnce).not.toEqual(tokenAfterFailure);
    expect((await aggregator({ Records: inserts })).batchItemFailures).toEqual([]);
    expect(await snapshot()).toEqual(once);
    expect(await token()).not.toEqual(tokenOnce);

    // Every counter and reference count moved by exactly what the records contribute.
    const expected = sumContributions(items.map((x) => contributions(x)));
    const want = new Map<string, number>();
    const itemId = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
    for (const [k, n] of expected.counters) want.set(itemId(keys.counter(parseCellKey(k))), n);
    for (const [k, n] of expected.references) want.set(`live|${k}`, n);
    for (const [k, n] of distinctCounters(expected.references)) want.set(itemId(keys.counter(parseCellKey(k))), (want.get(itemId(keys.counter(parseCellKey(k)))) ?? 0) + n);
    expect(moved(before, once)).toEqual(nonZero(want));

    // Undo the synthetic records (a person's removal, not TTL), in one batch: everything is back where it was.
    expect((await aggregator({ Records: items.map((_, i) => record(i, 'REMOVE', 'remove')) })).batchItemFailures).toEqual([]);
    expect(moved(before, await snapshot())).toEqual(new Map());
    await expectCountersReconcile();
  });
});

describe('expiry and deletion', () => {
  const figure = async (metric: string, from: string) => {
    const res = await t.api('GET', `/reports/metrics?from=${from}&to=${thisMonth()}&metrics=${metric}&unsuppressed=true`, { token: await tok('admin') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.metrics[0].periods.map((p: { rows: Array<{ cells: Record<string, number> }> }) => p.rows[0]!.cells['count']) as number[];
  };

  it('figures do not fall when records expire by TTL, but do when a person deletes one', async () => {
    const made: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ contactDate: daysAgo(0) }) });
      expect(res.status).toBe(201);
      made.push(res.body.id);
    }
    await t.env.drainStreams();
    const before = await figure('contacts', thisMonth());
    const refsBefore = await figure('contact_references', thisMonth());

    // The first contact (and its signposting) reaches its expiry: DynamoDB's TTL removes it.
    const items = (await t.db.send(new QueryCommand({ TableName: t.env.tableNames.Case, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.contactPartition(made[0]!) } }))).Items ?? [];
    for (const item of items) {
      await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Case, Key: { pk: item['pk'], sk: item['sk'] }, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': 1000 } }));
    }
    expect(await t.env.sweepExpired()).toBeGreaterThanOrEqual(items.length);
    await t.env.drainStreams();
    expect(await figure('contacts', thisMonth())).toEqual(before);
    expect(await figure('contact_references', thisMonth())).toEqual(refsBefore);
    const report = await expectCountersReconcile();
    expect(report.sourceRecords).toBeGreaterThan(0);

    // A person removes the second contact's item outright (not TTL): the figure falls by one.
    await t.db.send(new DeleteCommand({ TableName: t.env.tableNames.Case, Key: keys.contact(made[1]!) }));
    await t.env.drainStreams();
    expect(await figure('contacts', thisMonth())).toEqual([before[0]! - 1]);
    await expectCountersReconcile();
  });
});

describe('GET /reports/metrics', () => {
  /** Every published count in a JSON report, with where it is. */
  function publishedCounts(body: any): Array<{ where: string; value: unknown }> {
    const out: Array<{ where: string; value: unknown }> = [];
    for (const m of body.metrics) {
      if (m.kind === 'ratio') continue;
      for (const p of m.periods) {
        for (const r of [...p.rows, ...(p.total ? [p.total] : [])]) {
          for (const [s, v] of Object.entries(r.cells)) out.push({ where: `${m.id} ${p.period} ${r.value} ${s}`, value: v });
          if (r.total !== undefined) out.push({ where: `${m.id} ${p.period} ${r.value} total`, value: r.total });
        }
      }
    }
    return out;
  }

  it('commissioners get figures with no count from 1 to 7, and the CSV says exactly what the JSON says', { timeout: 240_000 }, async () => {
    await t.env.drainStreams();
    const token = await tok('commissioner');
    for (const breakdown of ['none', 'strand', 'team', 'gender', 'ageBand', 'ethnicGroup', 'religion', 'serviceKind', 'setting']) {
      const q = `/reports/metrics?from=${monthsAgo(2)}&to=${thisMonth()}&period=quarter&breakdown=${breakdown}`;
      const json = await t.api('GET', q, { token });
      expect(json.status, JSON.stringify(json.body)).toBe(200);
      expect(json.body.disclosure).toMatchObject({ applied: true, threshold: 7 });
      const counts = publishedCounts(json.body);
      expect(counts.length).toBeGreaterThan(0);
      for (const { where, value } of counts) {
        if (isSuppressed(value as never)) continue;
        expect(typeof value, where).toBe('number');
        expect(value === 0 || (value as number) > 7, `${where}: ${String(value)}`).toBe(true);
      }
      // The same report as CSV, by Accept header and by format=csv.
      const csv = await t.api('GET', q, { token, headers: { accept: 'text/csv' } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect((await t.api('GET', `${q}&format=csv`, { token })).text).toBe(csv.text);
      const rows = parseCsv(csv.text);
      expect(rows[0]).toEqual([...CSV_HEADER]);
      const byKey = new Map(rows.slice(1).map((r) => [`${r[0]} ${r[1]} ${r[3]} ${r[4]}`, r[5]]));
      for (const { where, value } of counts) {
        const [metric, period, value0, series] = where.split(' ');
        const key = `${metric} ${period} ${value0 === '*' ? 'all' : value0} ${series}`;
        expect(byKey.get(key), key).toBe(isSuppressed(value as never) ? CSV_SUPPRESSED : String(value));
      }
      // The definition column holds the definition's words, not a link a spreadsheet cannot follow.
      for (const r of rows.slice(1)) expect(r[6]).toBe(metricById(r[0] as string)?.definition);
    }
  });

  it('small figures are suppressed, and a total never gives one away', { timeout: 120_000 }, async () => {
    // One contact from an ethnic group nobody else is recorded in: its cell is 1.
    expect((await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ demographics: { ethnicGroup: 'white_gypsy_irish_traveller' } }) })).status).toBe(201);
    await t.env.drainStreams();
    const token = await tok('commissioner');
    const res = await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&breakdown=ethnicGroup&metrics=contacts,earlier_help_contacts`, { token });
    expect(res.status).toBe(200);
    const contacts = res.body.metrics.find((m: { id: string }) => m.id === 'contacts').periods[0];
    const small = contacts.rows.find((r: { value: string }) => r.value === 'white_gypsy_irish_traveller');
    expect(small.cells.count).toEqual({ suppressed: true });
    // With one team suppressed, the total or another team is suppressed too.
    const hidden = [...contacts.rows.map((r: { cells: { count: unknown } }) => r.cells.count), contacts.total.cells.count].filter((v) => isSuppressed(v as never));
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    // Admins may see every figure, with an audit record; commissioners may not, whatever they ask.
    expect((await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&unsuppressed=true`, { token })).status).toBe(403);
    const admin = await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&breakdown=ethnicGroup&metrics=contacts&unsuppressed=true`, { token: await tok('admin') });
    expect(admin.status).toBe(200);
    expect(admin.body.disclosure.applied).toBe(false);
    expect(admin.body.metrics[0].periods[0].rows.find((r: { value: string }) => r.value === 'white_gypsy_irish_traveller').cells.count).toBe(1);
    const audit = await t.db.send(
      new QueryCommand({
        TableName: t.env.tableNames.Audit,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditEntity('report', `${thisMonth()}/${thisMonth()}/month/ethnicGroup/unsuppressed`) },
        ConsistentRead: true,
      }),
    );
    expect((audit.Items ?? []).map((i) => `${i['action']} ${i['outcome']} ${(i['actor'] as { role: string }).role}`)).toEqual(
      expect.arrayContaining(['reports.readUnsuppressed success admin']),
    );
  });

  it('is for commissioners and admins; the definitions are for everyone; bad queries are 400 naming the field', async () => {
    for (const user of ['champion-a1', 'supervisor-a']) {
      expect((await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}`, { token: await tok(user) })).status).toBe(403);
      const defs = await t.api('GET', '/reports/definitions', { token: await tok(user) });
      expect(defs.status).toBe(200);
    }
    const defs = await t.api('GET', '/reports/definitions', { token: await tok('commissioner') });
    expect(defs.body.metrics.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['contacts', 'contact_references', 'time_to_triage', 'champions_lapsed']));
    const token = await tok('commissioner');
    const bad = async (q: string, path: string) => {
      const res = await t.api('GET', `/reports/metrics?${q}`, { token });
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body.issues), q).toContain(path);
    };
    await bad(`from=${monthsAgo(30)}&to=${thisMonth()}`, 'to');
    await bad(`from=${thisMonth()}&to=${thisMonth()}&metrics=nope`, 'metrics');
    await bad(`from=${thisMonth()}&to=${thisMonth()}&breakdown=gender&metrics=champions_trained`, 'metrics');
    await bad(`from=2026-13&to=${thisMonth()}`, 'from');
    await bad(`from=${thisMonth()}&to=${thisMonth()}&disclosure=off`, 'disclosure');
  });

  it('champion figures, contacts per active champion and distributions are reported', async () => {
    const res = await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&breakdown=team&unsuppressed=true`, { token: await tok('admin') });
    expect(res.status).toBe(200);
    const m = (id: string) => res.body.metrics.find((x: { id: string }) => x.id === id);
    const teamA = (id: string) => m(id).periods[0].rows.find((r: { value: string }) => r.value === 'team-a');
    expect(teamA('champions_current').cells.count).toBeGreaterThanOrEqual(1);
    expect(teamA('champions_trained').cells.count).toBeGreaterThanOrEqual(teamA('champions_current').cells.count);
    const ratio = teamA('contacts_per_active_champion').cells.ratio;
    // Published to one decimal place (shared/domain/reports.ts): 5 contacts over 4 champions is 1.3, not 1.25.
    expect(ratio).toBe(Math.round((teamA('contacts').cells.count / teamA('champions_current').cells.count) * 10) / 10);
    const triage = m('time_to_triage').periods[0].total;
    expect(triage).toBeDefined();
    expect(Object.keys(triage.cells)).toEqual(['under_1h', '1_4h', '4_24h', '1_3d', '3_7d', '7_30d', 'over_30d']);
  });

  it('is sent gzipped to a client that accepts gzip, the same JSON as sent to one that does not', async () => {
    const path = `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&breakdown=team`;
    const token = await tok('commissioner');
    // node:http, which decodes nothing itself: what arrives on the wire.
    const raw = (acceptEncoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((done, fail) => {
        http.get(`${t.env.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done({ headers: res.headers, body: Buffer.concat(chunks) })).on('error', fail);
        }).on('error', fail);
      });
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('accept-encoding');
    const zipped = await raw('br;q=1, gzip;q=0.8');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^application\/json/);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    // Sent as ASCII (the labels' en dashes escaped), read back as they are.
    expect(plain.body.toString('latin1')).not.toMatch(/[^\x00-\x7f]/);
    expect(JSON.stringify(JSON.parse(plain.body.toString('utf8')))).toContain('–');
    // Refused by q=0, it is not sent gzipped.
    expect((await raw('gzip;q=0, identity')).headers['content-encoding']).toBeUndefined();
  });
});

describe('what a report costs', () => {
  it('reads the same number of items for 10 contacts as for 200', async () => {
    const NAME = 'countReads';
    let reads = 0;
    let units = 0;
    const watched = () => [t.env.tableNames.Case, t.env.tableNames.Aggregates];
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
        const onWatched = watched().includes(input.TableName ?? '') || Object.keys(input.RequestItems ?? {}).some((n) => watched().includes(n));
        if (onWatched && /^(Query|GetItem|BatchGetItem|Scan)Command$/.test(context.commandName ?? '')) {
          reads += 1;
          const output = (result as { output: { Count?: number; Items?: unknown[]; Responses?: Record<string, unknown[]>; Item?: unknown } }).output;
          units += output.Items?.length ?? Object.values(output.Responses ?? {}).reduce((s, r) => s + r.length, 0) + (output.Item ? 1 : 0);
        }
        return result;
      },
      { step: 'initialize', name: NAME },
    );
    const measure = async () => {
      await t.env.drainStreams();
      reads = 0;
      units = 0;
      const res = await t.api('GET', `/reports/metrics?from=${monthsAgo(11)}&to=${thisMonth()}&breakdown=strand`, { token: await tok('commissioner') });
      expect(res.status).toBe(200);
      return { reads, units };
    };
    const logBatch = async (n: number) => {
      for (let i = 0; i < n; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, n - i) }, async () => {
            const res = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ contactDate: daysAgo(0) }) });
            expect(res.status).toBe(201);
          }),
        );
      }
    };
    try {
      await logBatch(10);
      const small = await measure();
      await logBatch(190);
      const large = await measure();
      expect(large.reads).toBe(small.reads);
      expect(large.units).toBe(small.units);
      expect(small.reads).toBeGreaterThan(10);
      // Every dimension of every metric is read (disclosure control is decided over all of a metric's tables at
      // once), so a report reads one Query per metric, dimension and period kind kept: about 90, whatever the contacts.
      expect(small.reads).toBeLessThan(150);
    } finally {
      getDocumentClient().middlewareStack.remove(NAME);
    }
  }, 180_000);
});
