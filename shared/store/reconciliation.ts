import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import { cellKey, contributions, isJourneyCell, journeyCounters, metricById, parseJourneyKey, sumContributions, parseCellKey, parseReferenceKey } from '../domain/metrics';
import { counterPartitions, decidedDifferences, differencesBetween, expectedFigures, withinYear, type Difference, type StoredFigures } from '../domain/reconciliation';
import { referenceLedgerExpiry } from '../domain/retention';
import { ukDate } from '../domain/dates';
import { aggregatesTableName } from './aggregates';
import { batchGetAll } from './batch-get';
import { moveCountedYears, yearOfCounter } from './counted-years';
import { getDocumentClient } from './client';
import { getItem } from './items';
import { keys, type ItemKey } from './keys';
import { queryAll } from './query';
import { journeyAttribute, journeyEntriesOf, journeyItemKey, referenceAttribute, referenceCountsOf, referenceItemKey } from './reference-counts';
import { MAX_TRANSACTION_ACTIONS, type TransactItem } from './transact';

/**
 * The scheduled reconciliation's reads and repairs (see docs/METRICS.md,
 * "Reconciliation"). A year's source records are read with Queries on the
 * case table's existing lists, never a Scan: every team (gsi1 `TEAMS`), each
 * team's contacts dated in the year (gsi1, the date in the key) with their
 * signposting (the contact's partition), and each team's escalations that
 * could have been raised in the year (the open list, and the closed list
 * from the year's start on). The counters of the year are read per counter
 * partition (one Query each, the year as a key range), the reference counts
 * for the references the source holds by key.
 */

const caseTableName = () => getConfig().caseTableName;
const aggregatesTable = aggregatesTableName;

/** Runs `work` over `items` with at most `width` at a time, keeping the order of the results. */
async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return out;
}

const gsi1 = (pk: string, from?: string, to?: string) =>
  queryAll({
    TableName: caseTableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: from === undefined ? 'gsi1pk = :pk' : to === undefined ? 'gsi1pk = :pk AND gsi1sk >= :from' : 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ...(from === undefined ? {} : { ':from': from }), ...(to === undefined ? {} : { ':to': to }) },
  });

/** The case-table records that can contribute to a year's counters (contacts, their signposting, escalations). */
export async function sourceRecordsOfYear(year: string): Promise<Record<string, unknown>[]> {
  const teams = await gsi1(keys.teamsByName().gsi1pk);
  const teamIds = teams.map((t) => String(t['id'] ?? String(t['pk']).replace(/^TEAM#/, '')));
  const perTeam = await inBatches(teamIds, 4, async (teamId) => {
    const contacts = await gsi1(keys.contactsOfTeam(teamId).gsi1pk, `${year}-01-01`, `${year}-12-31~`);
    // The contact's partition, read consistently: the contact and its signposting items.
    const partitions = await inBatches(
      contacts.filter((c) => c['type'] === 'contact'),
      16,
      (c) =>
        queryAll({
          TableName: caseTableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': String(c['pk']) },
          ConsistentRead: true,
        }),
    );
    // An escalation raised in the year is open now, or finished at or after the year began (UK time: from the UTC evening before).
    const open = await gsi1(keys.openEscalationsOfTeam(teamId).gsi1pk);
    const closed = await gsi1(keys.closedEscalationsOfTeam(teamId).gsi1pk, `${Number(year) - 1}-12-31T`);
    // The team's support network sessions dated in the year (issue 18's attendance metrics).
    const sessions = await gsi1(keys.supportSessionsOfTeam(teamId).gsi1pk, `${year}-01-01`, `${year}-12-31~`);
    return [...partitions.flat(), ...open, ...closed, ...sessions];
  });
  const byKey = new Map<string, Record<string, unknown>>();
  for (const item of perTeam.flat()) byKey.set(`${String(item['pk'])}|${String(item['sk'])}`, item);
  return [...byKey.values()];
}

const counterKeyOfItem = (pk: string, sk: string): string => {
  const body = pk.replace(/^RETIRED#/, '');
  const [, metric, dim, periodKind] = body.split('#') as [string, string, string, string];
  const [period, value, series] = sk.split('#') as [string, string, string];
  return cellKey({ metric, dim, periodKind, period, value, series } as Parameters<typeof cellKey>[0]);
};

/** A year's stored counters (live and retired), the reference counts (live and retired) of the given references, and the live journeys of the given contact references. */
export async function storedFiguresOfYear(year: string, referenceKeys: readonly string[], journeyReferences: readonly string[] = []): Promise<StoredFigures> {
  const figures: StoredFigures = { liveCounters: new Map(), liveReferences: new Map(), retiredCounters: new Map(), retiredReferences: new Map(), liveJourneys: new Map(), retiredJourneys: new Map() };
  const partitions = counterPartitions().flatMap((p) => (['live', 'retired'] as const).map((ledger) => ({ ...p, ledger })));
  await inBatches(partitions, 8, async (p) => {
    const items = await queryAll({
      TableName: aggregatesTable(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.counter(p, p.ledger).pk, ':from': year, ':to': `${year}~` },
      ConsistentRead: true,
    });
    for (const item of items) {
      const key = counterKeyOfItem(String(item['pk']), String(item['sk']));
      (p.ledger === 'live' ? figures.liveCounters : figures.retiredCounters).set(key, Number(item['n'] ?? 0));
    }
  });
  // Each reference's counts are attributes of one item per reference, period and ledger.
  const wanted = new Map<string, ItemKey>();
  for (const key of referenceKeys) for (const ledger of ['live', 'retired'] as const) wanted.set(referenceItemKey(key, ledger).pk, referenceItemKey(key, ledger));
  for (const reference of journeyReferences) wanted.set(keys.journey(reference).pk, keys.journey(reference));
  const asked = new Set(referenceKeys);
  for (const item of await batchGetAll(aggregatesTable(), [...wanted.values()], { consistentRead: true })) {
    const journey = journeyEntriesOf(item);
    if (journey) for (const [key, n] of journey.entries) figures.liveJourneys.set(key, n);
    const held = referenceCountsOf(item);
    if (!held) continue;
    for (const [key, n] of held.counts) if (asked.has(key)) (held.ledger === 'live' ? figures.liveReferences : figures.retiredReferences).set(key, n);
  }
  return figures;
}

/**
 * Repairs differences by ADDing `expected − actual` (never overwriting), so a
 * change the aggregator applies between the read and the repair is not lost.
 * Returns how many keys were repaired.
 */
export async function repairDifferences(differences: readonly Difference[], tableName = aggregatesTable(), client: DynamoDBDocumentClient = getDocumentClient()): Promise<number> {
  const counters = differences.filter((d) => d.kind === 'counter');
  const actions: TransactItem[] = counters.map((d) => ({
    Update: { TableName: tableName, Key: keys.counter(parseCellKey(d.key)), UpdateExpression: 'ADD #n :d', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':d': d.expected - d.actual } },
  }));
  // A transaction may not touch one item twice: a reference's counts in one period are one item, one ADD per attribute.
  const byItem = new Map<string, { key: ItemKey; adds: Map<string, number>; type: string }>();
  for (const d of differences) {
    if (d.kind !== 'referenceCount') continue;
    const key = referenceItemKey(d.key, 'live');
    const entry = byItem.get(key.pk) ?? byItem.set(key.pk, { key, adds: new Map(), type: 'referenceCounts' }).get(key.pk)!;
    entry.adds.set(referenceAttribute(d.key), d.expected - d.actual);
  }
  for (const d of differences) {
    if (d.kind !== 'journeyCount') continue;
    const key = journeyItemKey(d.key, 'live');
    const entry = byItem.get(key.pk) ?? byItem.set(key.pk, { key, adds: new Map(), type: 'journey' }).get(key.pk)!;
    entry.adds.set(journeyAttribute(d.key), d.expected - d.actual);
  }
  for (const { key, adds, type } of byItem.values()) {
    const entries = [...adds];
    actions.push({
      Update: {
        TableName: tableName,
        Key: key,
        // The version moves too, so an aggregator write based on the counts read before this repair fails its condition and reads again.
        UpdateExpression: `SET #type = :type, #e = :e ADD #v :one, ${entries.map((_, i) => `#a${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', '#v': 'v', '#e': 'expiresAt', ...Object.fromEntries(entries.map(([a], i) => [`#a${i}`, a])) },
        ExpressionAttributeValues: { ':type': type, ':one': 1, ':e': referenceLedgerExpiry(new Date()), ...Object.fromEntries(entries.map(([, d], i) => [`:d${i}`, d])) },
      },
    });
  }
  // The tokens of the years whose counters it repairs move once its transactions have landed, or one failed (as the
  // aggregator's do after a batch), so warm reports read those years again.
  let failure: unknown;
  try {
    for (let i = 0; i < actions.length; i += MAX_TRANSACTION_ACTIONS) {
      await client.send(new TransactWriteCommand({ TransactItems: actions.slice(i, i + MAX_TRANSACTION_ACTIONS) }));
    }
  } catch (error) {
    failure = error;
  }
  await moveCountedYears(new Set(counters.map((d) => yearOfCounter(d.key))), tableName, client);
  if (failure !== undefined) throw failure;
  return differences.length;
}

export interface YearReconciliation {
  year: string;
  sourceRecords: number;
  countersChecked: number;
  referenceCountsChecked: number;
  /**
   * Whether distinct-reference counts were compared. Not when records of the year have expired by TTL:
   * their references are no longer in the source, so the year's distinct counts cannot be recomputed
   * from it (the full `npm run reports:rebuild` still checks them).
   */
  referencesChecked: boolean;
  differences: Difference[];
  repaired: number;
}

/** Recomputes one year's counters from its source records, compares, and repairs if asked. */
export async function reconcileYear(year: string, options: { repair: boolean }): Promise<YearReconciliation> {
  const source = await sourceRecordsOfYear(year);
  const all = sumContributions(source.map((item) => contributions(item)));
  const fromSource = withinYear(all, year);
  // Journeys span years, so a year's records cannot decide them (the full `npm run reports:rebuild` does): here the
  // counters they keep are checked against the stored journeys of the references shown at the year's sessions.
  const shownInYear = new Set(
    [...all.journeys.keys()].map(parseJourneyKey).filter((j) => j.entry.startsWith(`p|${year}-`)).map((j) => j.reference),
  );
  const stored = await storedFiguresOfYear(year, [...fromSource.references.keys()], [...shownInYear]);
  const expected = expectedFigures(fromSource, { retiredCounters: stored.retiredCounters, retiredReferences: stored.retiredReferences });
  for (const key of [...expected.counters.keys()]) if (isJourneyCell(parseCellKey(key))) expected.counters.delete(key);
  for (const [key, n] of journeyCounters(stored.liveJourneys)) if (parseCellKey(key).period.startsWith(year)) expected.counters.set(key, (expected.counters.get(key) ?? 0) + n);
  const anyRetired = [...stored.retiredCounters.values()].some((n) => n !== 0);
  let differences = decidedDifferences(differencesBetween({ counters: expected.counters, references: expected.references }, stored), ukDate(new Date()));
  if (anyRetired) {
    // Without every reference of the year, distinct counts, reference counts and journeys are not decided here.
    differences = differences.filter((d) => d.kind === 'counter' && metricById(parseCellKey(d.key).metric)?.kind !== 'distinct' && !isJourneyCell(parseCellKey(d.key)));
  }
  const repaired = options.repair ? await repairDifferences(differences) : 0;
  return {
    year,
    sourceRecords: source.length,
    countersChecked: new Set([...expected.counters.keys(), ...stored.liveCounters.keys()]).size,
    referenceCountsChecked: anyRetired ? 0 : expected.references.size,
    referencesChecked: !anyRetired,
    differences,
    repaired,
  };
}

/** The older year the last scheduled run reconciled (see `yearsToReconcile`). */
export async function readReconciliationCursor(): Promise<string | undefined> {
  const item = await getItem<{ year?: string }>(aggregatesTable(), keys.reconciliationCursor());
  return item?.year;
}

export async function saveReconciliationCursor(year: string, at: Date): Promise<void> {
  await getDocumentClient().send(
    new PutCommand({ TableName: aggregatesTable(), Item: { ...keys.reconciliationCursor(), type: 'reconciliationCursor', year, at: at.toISOString() } }),
  );
}
