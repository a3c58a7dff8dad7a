import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import {
  cellKey,
  contributions,
  difference,
  distinctCellOf,
  journeyCells,
  parseCellKey,
  parseReferenceKey,
  type Contribution,
  type CounterCell,
  type CounterDimension,
  type MetricId,
  type PeriodKind,
} from '../domain/metrics';
import { batchGetAll } from './batch-get';
import { CHAMPION_RECORD_TYPES, moveChampionRecordsToken, moveCountedYears, yearOfCounter } from './counted-years';
import { getDocumentClient } from './client';
import { cancellationReasons, errorName } from './dynamo-errors';
import { keys, type ItemKey } from './keys';
import { logger } from '../http/logger';
import { isJourneyItem, journeyAttribute, journeyItemKey, referenceAttribute, referenceItemKey, type Ledger } from './reference-counts';
import { MAX_TRANSACTION_ACTIONS, type TransactItem } from './transact';
import { referenceLedgerExpiry } from '../domain/retention';

/**
 * The reporting counters in the Aggregates table (see docs/METRICS.md).
 *
 * The aggregator applies each case-table stream record once: the counters
 * change by `contributions(new) − contributions(old)` with atomic ADDs, in
 * one transaction with a processed marker for the record (put only if
 * absent), so a redelivered record fails that condition and changes nothing. Distinct contact
 * references are kept through one count per (period, breakdown value,
 * reference): it is read first, and written back conditionally on the value
 * read, together with the distinct counter's +1 (0 → 1) or −1 (1 → 0); a
 * concurrent change of the same count fails the condition and the record is
 * applied again from a fresh read.
 *
 * A record whose change needs more than one transaction (at most 100
 * actions, one of them the marker) is split deterministically — the same
 * parts, in the same order, every time it is delivered — and each part has
 * its own marker, so a part applied before a failure is not applied again.
 *
 * A REMOVE made by DynamoDB's TTL process (userIdentity
 * dynamodb.amazonaws.com) leaves the counters as they are — figures for past
 * months do not fall when old records expire — and adds what the record had
 * contributed to the "retired" ledger, so reconciliation can tell expiry
 * from a wrong count. A REMOVE by a person is an ordinary change.
 */

/** The Aggregates table's name, from the configuration: the one place every store module of the table reads it. */
export const aggregatesTableName = (): string => {
  const name = getConfig().aggregatesTableName;
  if (!name) throw new Error('AGGREGATES_TABLE_NAME is not set');
  return name;
};
const table = aggregatesTableName;

/** Markers outlive the stream's 24-hour retention, so any redelivery finds them. */
export const MARKER_TTL_SECONDS = 2 * 86_400;
const MAX_ATTEMPTS = 6;

export type StreamChangeKind = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface StreamChange {
  /** The stream record's eventID: the unit of idempotency. */
  eventId: string;
  eventName: StreamChangeKind;
  oldImage?: Record<string, unknown> | undefined;
  newImage?: Record<string, unknown> | undefined;
  /** A REMOVE made by TTL (userIdentity principal dynamodb.amazonaws.com). */
  byTtl: boolean;
}

type Unit =
  | { kind: 'counter'; key: string; delta: number; ledger: Ledger }
  | { kind: 'reference'; key: string; delta: number; ledger: Ledger }
  | { kind: 'journey'; key: string; delta: number; ledger: Ledger };

/** The units of work of one change, in a fixed order. */
export function unitsOf(change: StreamChange): Unit[] {
  let c: Contribution;
  let ledger: Ledger = 'live';
  if (change.eventName === 'REMOVE' && change.byTtl) {
    c = contributions(change.oldImage);
    ledger = 'retired';
  } else {
    c = difference(contributions(change.oldImage), contributions(change.newImage));
  }
  const units: Unit[] = [
    ...[...c.counters].map(([key, delta]): Unit => ({ kind: 'counter', key, delta, ledger })),
    ...[...c.references].map(([key, delta]): Unit => ({ kind: 'reference', key, delta, ledger })),
    ...[...c.journeys].map(([key, delta]): Unit => ({ kind: 'journey', key, delta, ledger })),
  ];
  return units.sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : a.kind + a.key > b.kind + b.key ? 1 : 0));
}

/**
 * The items a unit may write, as ids unique per item: a counter; a reference
 * count's item and, live, the distinct counter it may move. A transaction's
 * actions are its markers plus the items of its units, counted once each
 * (deltas to one item are summed into one action).
 */
function itemsOf(u: Unit): string[] {
  if (u.kind === 'counter') return [`${u.ledger}|C|${u.key}`];
  // A journey moves the counters its derived cells enter or leave, known only once the item is read: a transaction
  // that turns out too large is split when it is built (`applyShares`).
  if (u.kind === 'journey') return [`${u.ledger}|J|${journeyItemKey(u.key, u.ledger).pk}`];
  const item = `${u.ledger}|R|${referenceItemKey(u.key, u.ledger).pk}`;
  return u.ledger === 'retired' ? [item] : [item, `live|C|${cellKey(distinctCellOf(parseReferenceKey(u.key)))}`];
}

/** How many actions (besides markers) the units need at most in one transaction. */
export const actionsOf = (units: readonly Unit[]): number => new Set(units.flatMap(itemsOf)).size;

/** Splits one change's units into parts that each fit in one transaction beside their marker, the same way every time. */
export function partsOf(units: readonly Unit[], capacity = MAX_TRANSACTION_ACTIONS - 1): Unit[][] {
  const parts: Unit[][] = [];
  let current: Unit[] = [];
  let items = new Set<string>();
  for (const u of units) {
    const own = itemsOf(u);
    if (current.length > 0 && new Set([...items, ...own]).size > capacity) {
      parts.push(current);
      current = [];
      items = new Set();
    }
    current.push(u);
    for (const i of own) items.add(i);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

const addAction = (key: ItemKey, delta: number): TransactItem => ({
  Update: {
    TableName: table(),
    Key: key,
    UpdateExpression: 'ADD #n :d',
    ExpressionAttributeNames: { '#n': 'n' },
    ExpressionAttributeValues: { ':d': delta },
  },
});

/** The item and attribute a reference or journey unit writes. */
const storedEntryOf = (u: Unit): { key: ItemKey; attribute: string } =>
  u.kind === 'journey' ? { key: journeyItemKey(u.key, u.ledger), attribute: journeyAttribute(u.key) } : { key: referenceItemKey(u.key, u.ledger), attribute: referenceAttribute(u.key) };

/** A journey item's attributes (`n:<entry>`) as entries. */
const entriesOfAttributes = (attributes: ReadonlyMap<string, number>): Map<string, number> => new Map([...attributes].map(([a, n]) => [a.slice(2), n] as const));

/** A live reference-counts item as read: its version and its counts by attribute (absent: the item does not exist). */
interface StoredReferenceItem {
  version: number;
  attributes: Map<string, number>;
}

/** The live reference-counts items, read consistently, by pk. */
async function readReferenceItems(itemKeys: ItemKey[]): Promise<Map<string, StoredReferenceItem>> {
  const out = new Map<string, StoredReferenceItem>();
  for (const item of await batchGetAll(table(), itemKeys, { consistentRead: true })) {
    const attributes = new Map(Object.entries(item).filter(([name]) => name.startsWith('n:')).map(([name, n]) => [name, Number(n)] as const));
    out.set(String(item['pk']), { version: Number(item['v'] ?? 0), attributes });
  }
  return out;
}

/** One record's share of a transaction: its marker (the record and part) and its units. */
interface Share {
  eventId: string;
  part: number;
  units: readonly Unit[];
}

const addTo = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);

/**
 * The transaction for some records' shares: one marker each (first, in
 * order), then their changes summed per item — counters as one ADD each,
 * each live reference-counts item as one Put (or Delete, when nothing is
 * left) conditional on the version read, every reference ledger item with
 * its new expiry (retention.ts `REFERENCE_LEDGER_YEARS` from now), the distinct counters moved by the
 * counts that went 0 → positive or back, the retired ledger as ADDs. With it, the years whose live counters it moves.
 */
function buildTransaction(shares: readonly Share[], stored: Map<string, StoredReferenceItem>, now: Date, years: Set<string>): TransactItem[] {
  const actions: TransactItem[] = shares.map((s) => ({
    Put: {
      TableName: table(),
      Item: { ...keys.processedRecord(s.eventId, s.part), type: 'processed', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const counters = new Map<string, number>(); // `${ledger}|${cellKey}` → delta
  const retired = new Map<string, Map<string, number>>(); // item pk → attribute → delta
  const retiredKeys = new Map<string, ItemKey>();
  const live = new Map<string, Map<string, number>>(); // item pk → attribute → count after, applied record by record (the clamp at 0 is per step)
  const liveKeys = new Map<string, ItemKey>();
  const referenceOf = new Map<string, string>(); // `${pk}|${attribute}` → referenceKey
  for (const s of shares) {
    for (const u of s.units) {
      if (u.kind === 'counter') {
        addTo(counters, `${u.ledger}|${u.key}`, u.delta);
        continue;
      }
      const { key, attribute } = storedEntryOf(u);
      if (u.ledger === 'retired') {
        retiredKeys.set(key.pk, key);
        addTo(retired.get(key.pk) ?? retired.set(key.pk, new Map()).get(key.pk)!, attribute, u.delta);
        continue;
      }
      liveKeys.set(key.pk, key);
      referenceOf.set(`${key.pk}|${attribute}`, u.key);
      const after = live.get(key.pk) ?? live.set(key.pk, new Map()).get(key.pk)!;
      after.set(attribute, Math.max(0, (after.get(attribute) ?? stored.get(key.pk)?.attributes.get(attribute) ?? 0) + u.delta));
    }
  }
  for (const [pk, changed] of live) {
    const before = stored.get(pk);
    const attributes = new Map(before?.attributes);
    let moved = false;
    const journey = isJourneyItem(pk);
    for (const [attribute, n] of changed) {
      const was = before?.attributes.get(attribute) ?? 0;
      if (n === was) continue;
      moved = true;
      attributes.set(attribute, n);
      const transition = (n > 0 ? 1 : 0) - (was > 0 ? 1 : 0);
      if (!journey && transition !== 0) addTo(counters, `live|${cellKey(distinctCellOf(parseReferenceKey(referenceOf.get(`${pk}|${attribute}`)!)))}`, transition);
    }
    if (!moved) continue; // nothing to write, and no distinct count moves
    if (journey) {
      // The journey's figures are a function of the whole journey: the cells it enters go up, those it leaves down.
      const was = journeyCells(entriesOfAttributes(before?.attributes ?? new Map()));
      const now = journeyCells(entriesOfAttributes(attributes));
      for (const cell of now) if (!was.has(cell)) addTo(counters, `live|${cell}`, 1);
      for (const cell of was) if (!now.has(cell)) addTo(counters, `live|${cell}`, -1);
    }
    const key = liveKeys.get(pk)!;
    const condition = before
      ? { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':v': before.version } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const kept = [...attributes].filter(([, n]) => n > 0);
    if (kept.length === 0 && !before) continue;
    actions.push(
      kept.length === 0
        ? { Delete: { TableName: table(), Key: key, ...condition } }
        : { Put: { TableName: table(), Item: { ...key, type: journey ? 'journey' : 'referenceCounts', v: (before?.version ?? 0) + 1, expiresAt: referenceLedgerExpiry(now), ...Object.fromEntries(kept) }, ...condition } },
    );
  }
  for (const [pk, deltas] of retired) {
    const entries = [...deltas].filter(([, d]) => d !== 0);
    if (entries.length === 0) continue;
    actions.push({
      Update: {
        TableName: table(),
        Key: retiredKeys.get(pk)!,
        UpdateExpression: `SET #type = :type, #e = :e ADD ${entries.map((_, i) => `#a${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', '#e': 'expiresAt', ...Object.fromEntries(entries.map(([a], i) => [`#a${i}`, a])) },
        ExpressionAttributeValues: { ':type': isJourneyItem(pk) ? 'journey' : 'referenceCounts', ':e': referenceLedgerExpiry(now), ...Object.fromEntries(entries.map(([, d], i) => [`:d${i}`, d])) },
      },
    });
  }
  for (const [k, delta] of counters) {
    if (delta === 0) continue;
    const ledger: Ledger = k.startsWith('retired|') ? 'retired' : 'live';
    const cell = k.slice(ledger.length + 1);
    if (ledger === 'live') years.add(yearOfCounter(cell));
    actions.push(addAction(keys.counter(parseCellKey(cell), ledger), delta));
  }
  return actions;
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

/**
 * Applies some shares in one transaction, retrying on contention; a share
 * whose marker exists (applied before: a redelivery) is taken out, the rest
 * applied without it. Returns how many were applied now and already.
 */
async function applyShares(shares: readonly Share[], now: Date, years: Set<string>): Promise<{ applied: number; alreadyApplied: number }> {
  let pending = [...shares];
  let alreadyApplied = 0;
  for (let attempt = 0; pending.length > 0; ) {
    // No read of the markers first: each transaction puts them only if absent. Reading them cost every record
    // a round trip to save one only on the rare redelivery.
    const referenceKeys = new Map(
      pending.flatMap((s) => s.units.filter((u) => u.kind !== 'counter' && u.ledger === 'live').map((u) => storedEntryOf(u).key)).map((k) => [k.pk, k]),
    );
    const stored = referenceKeys.size > 0 ? await readReferenceItems([...referenceKeys.values()]) : new Map<string, StoredReferenceItem>();
    const actions = buildTransaction(pending, stored, now, years);
    if (actions.length > MAX_TRANSACTION_ACTIONS && pending.length > 1) {
      // A journey moved more counters than the grouping could know: the shares go in two smaller groups.
      const half = Math.ceil(pending.length / 2);
      const first = await applyShares(pending.slice(0, half), now, years);
      const second = await applyShares(pending.slice(half), now, years);
      return { applied: first.applied + second.applied, alreadyApplied: alreadyApplied + first.alreadyApplied + second.alreadyApplied };
    }
    // One record's journey moving more than a transaction holds (a reference shown at sessions in very many periods
    // whose gender changes): its items and the first counters land with the marker; the remaining counter ADDs follow.
    // Were the process to stop between them, the scheduled reconciliation would find and repair the difference.
    const overflow = actions.splice(MAX_TRANSACTION_ACTIONS);
    try {
      await getDocumentClient().send(new TransactWriteCommand({ TransactItems: actions }));
      if (overflow.length > 0) {
        logger.warn('a journey moved more counters than one transaction holds; the rest follow', { counters: overflow.length });
        for (let i = 0; i < overflow.length; i += MAX_TRANSACTION_ACTIONS) {
          await getDocumentClient().send(new TransactWriteCommand({ TransactItems: overflow.slice(i, i + MAX_TRANSACTION_ACTIONS) }));
        }
      }
      return { applied: pending.length, alreadyApplied };
    } catch (error) {
      const reasons = cancellationReasons(error);
      // Markers come first, one per pending share: a failed one is a share applied before.
      const seen = new Set(pending.flatMap((_, i) => (reasons[i]?.Code === 'ConditionalCheckFailed' ? [i] : [])));
      if (seen.size > 0) {
        alreadyApplied += seen.size;
        pending = pending.filter((_, i) => !seen.has(i));
        continue;
      }
      const retryable =
        reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError') ||
        ['TransactionConflictException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'].includes(errorName(error));
      attempt += 1;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      await pause(attempt - 1);
    }
  }
  return { applied: 0, alreadyApplied };
}

export interface ApplyResult {
  /** Parts applied now; parts found already applied (a redelivery). */
  applied: number;
  alreadyApplied: number;
  /** The change contributes nothing (another item type, or a change that does not move any figure). */
  ignored: boolean;
}

/**
 * Applies one stream record to the counters, exactly once however often it is
 * delivered: in one transaction with its marker, or, when its change needs
 * more than 100 actions, in parts split deterministically (the same parts in
 * the same order every time), each with its own marker, so a part applied
 * before a failure is not applied again. The years whose live counters it moves (or found moved) are added to
 * `years`, whose tokens the caller moves once the counters have landed; alone, it moves them itself.
 */
export async function applyChange(change: StreamChange, now = new Date(), capacity = MAX_TRANSACTION_ACTIONS - 1, years?: Set<string>): Promise<ApplyResult> {
  const units = unitsOf(change);
  if (units.length === 0) return { applied: 0, alreadyApplied: 0, ignored: true };
  let applied = 0;
  let alreadyApplied = 0;
  const moved = years ?? new Set<string>();
  try {
    for (const [part, partUnits] of partsOf(units, capacity).entries()) {
      const done = await applyShares([{ eventId: change.eventId, part, units: partUnits }], now, moved);
      applied += done.applied;
      alreadyApplied += done.alreadyApplied;
    }
  } finally {
    if (!years) await moveCountedYears(moved);
  }
  return { applied, alreadyApplied, ignored: false };
}

// ---- A whole batch ----------------------------------------------------------

/**
 * A stream batch's changes applied together: consecutive records are grouped
 * into as few transactions as the 100-action limit allows, their deltas summed
 * per item, and every record's processed marker (put only if absent) in the
 * transaction that carries its deltas — so each record is still applied
 * exactly once, whichever batch, group or retry delivers it:
 *
 * - a group's transaction lands whole or not at all, markers with deltas;
 * - a redelivered record (part of a batch after ReportBatchItemFailures, or a
 *   whole batch again) fails its marker's condition: the cancellation reasons
 *   say which markers, those records are taken out of the group (already
 *   counted) and the rest is applied without them;
 * - a group that cannot be applied stops the batch there: the records of the
 *   groups before it are applied, it and everything after it are reported
 *   failed (`BatchApplyError.index`), and their redelivery applies each one
 *   once, grouped however the next delivery groups them, since the marker is
 *   per record (`processedRecord(eventId, 0)`, the same as a record applied
 *   alone), not per group.
 *
 * A record too large for one transaction beside its marker goes alone through
 * `applyChange` (its parts and their markers).
 */

interface PlannedChange {
  change: StreamChange;
  units: Unit[];
}

/** The first record of the batch that was not applied, and why. */
export class BatchApplyError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`aggregation failed at record ${index}`);
    this.name = 'BatchApplyError';
  }
}

export interface BatchResult {
  /** Records applied now; records found already applied (a redelivery); records that move no figure. */
  applied: number;
  alreadyApplied: number;
  ignored: number;
  /** Transactions that landed. */
  transactions: number;
}

/**
 * Groups consecutive changes (by index) whose markers and summed actions fit
 * one transaction; a change too large for one transaction is a group alone.
 * Changes that move no figure are in no group.
 */
export function groupsOf(planned: readonly { change: StreamChange; units: readonly Unit[] }[], capacity = MAX_TRANSACTION_ACTIONS): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let items = new Set<string>();
  let events = new Set<string>();
  const close = () => {
    if (current.length > 0) groups.push(current);
    current = [];
    items = new Set();
    events = new Set();
  };
  for (const [index, p] of planned.entries()) {
    if (p.units.length === 0) continue;
    const own = new Set(p.units.flatMap(itemsOf));
    if (own.size + 1 > capacity) {
      close();
      groups.push([index]);
      continue;
    }
    if (new Set([...items, ...own]).size + current.length + 1 > capacity || events.has(p.change.eventId)) close();
    current.push(index);
    for (const i of own) items.add(i);
    events.add(p.change.eventId);
  }
  close();
  return groups;
}

/**
 * Applies a batch of stream records in order, grouped (see above). Throws
 * `BatchApplyError` naming the first record not applied; every record before
 * it is applied.
 */
export async function applyChanges(changes: readonly StreamChange[], now = new Date(), capacity = MAX_TRANSACTION_ACTIONS): Promise<BatchResult> {
  // A change to what the champion metrics are built from moves their token first (shared/store/counted-years.ts).
  const typeOf = (image: Record<string, unknown> | undefined) => String(image?.['type'] ?? '');
  if (changes.some((c) => CHAMPION_RECORD_TYPES.has(typeOf(c.newImage)) || CHAMPION_RECORD_TYPES.has(typeOf(c.oldImage)))) {
    try {
      await moveChampionRecordsToken();
    } catch (error) {
      throw new BatchApplyError(0, error);
    }
  }
  const planned: PlannedChange[] = changes.map((change) => ({ change, units: unitsOf(change) }));
  const result: BatchResult = { applied: 0, alreadyApplied: 0, ignored: planned.filter((p) => p.units.length === 0).length, transactions: 0 };
  // The years whose live counters the batch moved, or found moved by an earlier delivery (which may have stopped
  // before moving their tokens): their tokens move once the batch's transactions have landed, and also when one failed.
  const years = new Set<string>();
  let failure: unknown;
  try {
    await applyGroups(planned, now, capacity, years, result);
  } catch (error) {
    failure = error;
  }
  try {
    await moveCountedYears(years);
  } catch (error) {
    // Reported as a failure of the whole batch: redelivered, its records are found applied and the tokens move then.
    throw new BatchApplyError(0, error);
  }
  if (failure !== undefined) throw failure;
  return result;
}

async function applyGroups(planned: readonly PlannedChange[], now: Date, capacity: number, years: Set<string>, result: BatchResult): Promise<void> {
  for (const group of groupsOf(planned, capacity)) {
    const first = group[0] as number;
    try {
      if (group.length === 1 && actionsOf(planned[first]!.units) + 1 > capacity) {
        const one = await applyChange(planned[first]!.change, now, capacity - 1, years);
        result[one.applied > 0 ? 'applied' : 'alreadyApplied'] += 1;
        result.transactions += one.applied;
        continue;
      }
      const done = await applyShares(
        group.map((i) => ({ eventId: planned[i]!.change.eventId, part: 0, units: planned[i]!.units })),
        now,
        years,
      );
      result.applied += done.applied;
      result.alreadyApplied += done.alreadyApplied;
      result.transactions += done.applied > 0 ? 1 : 0;
    } catch (error) {
      throw new BatchApplyError(first, error);
    }
  }
}

// ---- Reading ---------------------------------------------------------------

export interface CounterRow {
  period: string;
  value: string;
  series: string;
  n: number;
}

/**
 * The counters of one metric, breakdown dimension and period kind for a range
 * of periods: one consistent Query (paged) on the metric's partition. Its cost depends on
 * the periods, breakdown values and series asked for, never on how many
 * records were counted.
 */
export async function readCounters(metric: MetricId, dim: CounterDimension, periodKind: PeriodKind, fromPeriod: string, toPeriod: string): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await getDocumentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.counter({ metric, dim, periodKind }).pk, ':from': `${fromPeriod}#`, ':to': `${toPeriod}#~` },
        // Consistent: read after the years' tokens (shared/store/counted-years.ts), the rows hold every change up to them.
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) {
      const [period, value, series] = String(item['sk']).split('#') as [string, string, string];
      rows.push({ period, value, series, n: Number(item['n'] ?? 0) });
    }
    start = result.LastEvaluatedKey;
  } while (start);
  return rows;
}
