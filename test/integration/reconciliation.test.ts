import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconciliationSummary } from '../../functions/reconciler/handler';
import { replayDeadLetters } from '../../infra/local/dead-letter-replay';
import { loadHandler } from '../../infra/local/gateway';
import { startStreamPoller, type StreamHandler } from '../../infra/local/stream-poller';
import { reconcile } from '../../scripts/reports-rebuild';
import { contributions, sumContributions } from '../../shared/domain/metrics';
import { WHOLE_HISTORY, withinYear } from '../../shared/domain/reconciliation';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { sourceRecordsOfYear } from '../../shared/store/reconciliation';
import { supportSessionBody } from '../reliability/fixtures';
import { daysAgo, hateCrimeContact, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * The scheduled reconciliation (functions/reconciler) and the dead-letter
 * replay, against DynamoDB Local, with the counters broken on purpose: by
 * writing wrong values into them, and by faults injected into the
 * aggregator's writes until its batches are dead-lettered.
 */
const t = useTestEnvironment();
const dir = mkdtempSync(join(tmpdir(), 'waymark-reconcile-'));
const year = ukToday().slice(0, 4);
const tables = () => ({ caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });
const differences = async () => (await reconcile(t.db, tables())).differences;
const FAULT = 'reconciliation-fault';

async function logContact(user: string, body: Record<string, unknown>): Promise<{ id: string; contactReference: string }> {
  const res = await t.api('POST', '/contacts', { token: await t.tokenFor(user), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

beforeAll(async () => {
  // Contacts in two teams, a repeat under one reference, signposting, an escalation, a deleted contact.
  const first = await logContact('champion-a1', validContact({ contactDate: daysAgo(2) }));
  await logContact('champion-a1', validContact({ contactDate: daysAgo(1), contactReference: first.contactReference, setting: 'phone' }));
  await logContact('champion-b1', hateCrimeContact({ demographics: { ethnicGroup: 'black_african' } }));
  const gone = await logContact('champion-a1', validContact());
  expect((await t.api('DELETE', `/contacts/${gone.id}`, { token: await t.tokenFor('supervisor-a'), body: { reason: 'Logged twice by mistake.' } })).status).toBe(200);
  const raised = await t.api('POST', `/contacts/${first.id}/escalations`, { token: await t.tokenFor('champion-a1'), body: { reason: 'other', consent: 'yes' } });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  await t.env.drainStreams();
  expect(await differences()).toEqual([]);
});

afterAll(() => {
  getDocumentClient().middlewareStack.remove(FAULT);
  rmSync(dir, { recursive: true, force: true });
});

describe('the scheduled reconciliation', () => {
  it('reads exactly the records that count in the year, with Queries, as a full scan of the case table would find them', async () => {
    const byQuery = withinYear(sumContributions((await sourceRecordsOfYear(year)).map((i) => contributions(i))), year);
    const byScan = withinYear(sumContributions((await scanAll(t.env.tableNames.Case)).map((i) => contributions(i))), year);
    expect(byQuery.counters.size).toBeGreaterThan(10);
    expect(byQuery.references.size).toBeGreaterThan(0);
    expect(byQuery).toEqual(byScan);
  });

  it('repairs counters that are wrong, missing or stray, and reference counts, then finds nothing on the next run', async () => {
    const aggregates = t.env.tableNames.Aggregates;
    const month = ukToday().slice(0, 7);
    const contactsAll = keys.counter({ metric: 'contacts', dim: 'all', periodKind: 'month', period: daysAgo(2).slice(0, 7), value: '*', series: '*' });
    // A lost increment (−1), a lost counter (deleted), a counter that should not exist, a reference count gone.
    await t.db.send(new UpdateCommand({ TableName: aggregates, Key: contactsAll, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': -1 } }));
    const teamB = keys.counter({ metric: 'contacts', dim: 'team', periodKind: 'month', period: month, value: 'team-b', series: '*' });
    await t.db.send(new DeleteCommand({ TableName: aggregates, Key: teamB }));
    const stray = keys.counter({ metric: 'earlier_help_contacts', dim: 'all', periodKind: 'month', period: `${year}-01`, value: '*', series: '*' });
    const strayBefore = (await differences()).length;
    await t.db.send(new UpdateCommand({ TableName: aggregates, Key: stray, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': 3 } }));
    // A reference's counts for a year (every breakdown value it is counted under) are one item.
    const refItem = (await scanAll(aggregates)).find((i) => String(i['pk']).startsWith('REFS#year#'));
    expect(refItem).toBeDefined();
    await t.db.send(new DeleteCommand({ TableName: aggregates, Key: { pk: refItem!['pk'] as string, sk: refItem!['sk'] as string } }));
    expect((await differences()).length).toBeGreaterThan(strayBefore);

    const run = (await t.env.runScheduled('reconciler')) as ReconciliationSummary;
    expect(run.years.map((y) => y.year)).toContain(year);
    expect(run.repaired).toBeGreaterThanOrEqual(4);
    expect(await differences()).toEqual([]);

    const again = (await t.env.runScheduled('reconciler')) as ReconciliationSummary;
    expect(again.repaired).toBe(0);
  });

  it('journeys: the scheduled run checks the counters they keep against the stored journeys; the full rebuild checks the journeys against every record', async () => {
    const aggregates = t.env.tableNames.Aggregates;
    const signposted = await logContact(
      'champion-a1',
      validContact({ contactDate: daysAgo(1), demographics: { gender: 'woman' }, signposting: [{ serviceId: 'service-support-network', mode: 'referral_with_consent' }] }),
    );
    const session = await t.api('POST', '/support-sessions', { token: await t.tokenFor('supervisor-a'), body: supportSessionBody({ referencesPresented: [signposted.contactReference] }) });
    expect(session.status, session.text).toBe(201);
    await t.env.drainStreams();
    expect(await differences()).toEqual([]);

    // A lost increment of "signposted, then attended": the scheduled run puts it back.
    const converted = keys.counter({ metric: 'signposted_then_attended', dim: 'all', periodKind: 'month', period: ukToday().slice(0, 7), value: '*', series: '*' });
    await t.db.send(new UpdateCommand({ TableName: aggregates, Key: converted, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': -1 } }));
    const run = (await t.env.runScheduled('reconciler')) as ReconciliationSummary;
    expect(run.repaired).toBeGreaterThanOrEqual(1);
    expect(await differences()).toEqual([]);

    // A journey that lost its signposting entry: the full rebuild finds it from the records and repairs it.
    const entry = `${signposted.contactReference}|s|${daysAgo(1)}`;
    await t.db.send(new UpdateCommand({ TableName: aggregates, Key: keys.journey(signposted.contactReference), UpdateExpression: 'REMOVE #a', ExpressionAttributeNames: { '#a': `n:s|${daysAgo(1)}` } }));
    expect(await differences()).toEqual([{ kind: 'journeyCount', key: entry, expected: 1, actual: 0 }]);
    expect((await reconcile(t.db, tables(), true)).repaired).toBe(1);
    expect(await differences()).toEqual([]);
  });

  it('walks back one older year per run and starts again at the year before last once it reaches a year with nothing in it', async () => {
    const olderOf = (s: ReconciliationSummary) => s.years.at(-1)!.year;
    const runs: string[] = [];
    for (let i = 0; i < 3; i += 1) runs.push(olderOf((await t.env.runScheduled('reconciler')) as ReconciliationSummary));
    const thisYear = Number(year);
    const start = ukToday().slice(5, 7) === '01' ? thisYear - 2 : thisYear - 1;
    // The demo data is all in this year: every older year is empty, so each run starts again from the year before last.
    expect(runs).toEqual([String(start), String(start), String(start)]);
  });

  it('after an unclean stop covers every year, back to three empty ones in a row, across a gap year', { timeout: 180_000 }, async () => {
    const twoBack = String(Number(year) - 2);
    const stray = keys.counter({ metric: 'contacts', dim: 'all', periodKind: 'month', period: `${twoBack}-06`, value: '*', series: '*' });
    await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Aggregates, Key: stray, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': 2 } }));
    expect((await differences()).length).toBeGreaterThan(0);
    const run = (await t.env.runScheduled('reconciler', { scope: WHOLE_HISTORY })) as ReconciliationSummary;
    expect(run.years.map((y) => y.year)).toEqual([0, 1, 2, 3, 4, 5].map((back) => String(Number(year) - back)));
    expect(run.repaired).toBe(1);
    expect(await differences()).toEqual([]);
  });
});

describe('dead letters', () => {
  it('a batch dead-lettered while the aggregator\'s writes failed is replayed, and counts each record once however often it is replayed', async () => {
    await t.env.drainStreams();
    await t.env.pauseStreams();
    await logContact('champion-a1', validContact({ setting: 'workplace' }));
    await logContact('champion-b1', hateCrimeContact({ setting: 'online_messaging' }));

    // Every aggregator write fails (not an outage: DynamoDB answers), so a poller of the test's own dead-letters its batches.
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        if (String(context.commandName).startsWith('TransactWrite') && JSON.stringify(args.input).includes(t.env.tableNames.Aggregates)) {
          throw Object.assign(new Error('InternalServerError (injected)'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'initialize', name: FAULT },
    );
    const deadLetterDir = join(dir, 'dead-letters');
    const poller = startStreamPoller({
      endpoint: t.env.dynamo.endpoint,
      tableName: t.env.tableNames.Case,
      consumer: 'aggregator',
      loadHandler: () => loadHandler('aggregator') as unknown as Promise<StreamHandler>,
      maxAttempts: 2,
      retryBaseMs: 1,
      deadLetterFile: join(deadLetterDir, 'aggregator.jsonl'),
    });
    await poller.drain();
    await poller.stop();
    getDocumentClient().middlewareStack.remove(FAULT);
    const file = join(deadLetterDir, 'aggregator.jsonl');
    const deadLettered = readFileSync(file, 'utf8');
    expect(deadLettered.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    const missing = await differences();
    expect(missing.length).toBeGreaterThan(0); // the two contacts are not counted

    const replay = () => replayDeadLetters({ endpoint: t.env.dynamo.endpoint, deadLetterDir, loadHandler: () => loadHandler('aggregator') as unknown as Promise<StreamHandler> });
    const first = await replay();
    expect(first.notReplayed).toEqual([]);
    expect(first.replayed).toBe(first.batches);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(await differences()).toEqual([]);

    // The same batches again (records applied before, by this replay or by the poller, are recognised): nothing changes.
    writeFileSync(file, deadLettered);
    const second = await replay();
    expect(second.replayed).toBe(first.replayed);
    expect(await differences()).toEqual([]);

    // And the environment's own pollers, which had not delivered them yet, count nothing twice either.
    t.env.resumeStreams();
    await t.env.drainStreams();
    expect(await differences()).toEqual([]);
  });
});
