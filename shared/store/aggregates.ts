import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import {
  cellKey,
  contributions,
  difference,
  distinctCellOf,
  parseCellKey,
  parseReferenceKey,
  type Contribution,
  type CounterCell,
  type CounterDimension,
  type MetricId,
  type PeriodKind,
} from '../domain/metrics';
import { getDocumentClient } from './client';
import { cancellationReasons, errorName } from './dynamo-errors';
import { keys, type ItemKey } from './keys';
import { MAX_TRANSACTION_ACTIONS, type TransactItem } from './transact';

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

const table = (): string => {
  const name = getConfig().aggregatesTableName;
  if (!name) throw new Error('AGGREGATES_TABLE_NAME is not set');
  return name;
};

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
  | { kind: 'counter'; key: string; delta: number; ledger: 'live' | 'retired' }
  | { kind: 'reference'; key: string; delta: number; ledger: 'live' | 'retired' };

/** Actions a unit may need: a reference count and its distinct counter. */
const weight = (u: Unit) => (u.kind === 'reference' && u.ledger === 'live' ? 2 : 1);

const counterKeyOf = (cell: CounterCell, ledger: 'live' | 'retired') => keys.counter(cell, ledger);
const referenceKeyOf = (key: string, ledger: 'live' | 'retired') => keys.referenceCount(parseReferenceKey(key), ledger);

/** The units of work of one change, in a fixed order. */
export function unitsOf(change: StreamChange): Unit[] {
  let c: Contribution;
  let ledger: 'live' | 'retired' = 'live';
  if (change.eventName === 'REMOVE' && change.byTtl) {
    c = contributions(change.oldImage);
    ledger = 'retired';
  } else {
    c = difference(contributions(change.oldImage), contributions(change.newImage));
  }
  const units: Unit[] = [
    ...[...c.counters].map(([key, delta]): Unit => ({ kind: 'counter', key, delta, ledger })),
    ...[...c.references].map(([key, delta]): Unit => ({ kind: 'reference', key, delta, ledger })),
  ];
  return units.sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : a.kind + a.key > b.kind + b.key ? 1 : 0));
}

/** Splits units into parts that each fit in one transaction beside their marker. */
export function partsOf(units: readonly Unit[], capacity = MAX_TRANSACTION_ACTIONS - 1): Unit[][] {
  const parts: Unit[][] = [];
  let current: Unit[] = [];
  let used = 0;
  for (const u of units) {
    if (used + weight(u) > capacity) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(u);
    used += weight(u);
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

/** Current values of reference counts (absent: 0), read consistently. */
async function readCounts(itemKeys: ItemKey[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // BatchGetItem takes at most 100 keys.
  for (let i = 0; i < itemKeys.length; i += 100) await readCountsInto(out, itemKeys.slice(i, i + 100));
  return out;
}

async function readCountsInto(out: Map<string, number>, itemKeys: ItemKey[]): Promise<void> {
  let pending = itemKeys;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round > 8) throw new Error('BatchGetItem kept leaving keys unprocessed');
    const result = await getDocumentClient().send(
      new BatchGetCommand({ RequestItems: { [table()]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, n' } } }),
    );
    for (const item of result.Responses?.[table()] ?? []) out.set(String(item['pk']), Number(item['n'] ?? 0));
    pending = (result.UnprocessedKeys?.[table()]?.Keys as ItemKey[] | undefined) ?? [];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
  }
}

/** The transaction for one part, from the current reference counts. */
function buildPart(eventId: string, index: number, part: readonly Unit[], counts: Map<string, number>, now: Date): TransactItem[] {
  const actions: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.processedRecord(eventId, index), type: 'processed', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  const distinct = new Map<string, number>();
  for (const u of part) {
    if (u.kind === 'counter') {
      actions.push(addAction(counterKeyOf(parseCellKey(u.key), u.ledger), u.delta));
      continue;
    }
    const key = referenceKeyOf(u.key, u.ledger);
    if (u.ledger === 'retired') {
      actions.push(addAction(key, u.delta));
      continue;
    }
    const exists = counts.has(key.pk);
    const before = counts.get(key.pk) ?? 0;
    const after = Math.max(0, before + u.delta);
    const condition = exists
      ? { ConditionExpression: '#n = :before', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':before': before } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    if (after === 0 && !exists) continue;
    actions.push(
      after === 0
        ? { Delete: { TableName: table(), Key: key, ...condition } }
        : { Put: { TableName: table(), Item: { ...key, type: 'referenceCount', n: after }, ...condition } },
    );
    const transition = before <= 0 && after > 0 ? 1 : before > 0 && after <= 0 ? -1 : 0;
    if (transition !== 0) {
      const cell = cellKey(distinctCellOf(parseReferenceKey(u.key)));
      distinct.set(cell, (distinct.get(cell) ?? 0) + transition);
    }
  }
  for (const [cell, delta] of distinct) if (delta !== 0) actions.push(addAction(counterKeyOf(parseCellKey(cell), 'live'), delta));
  return actions;
}

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

export interface ApplyResult {
  /** Parts applied now; parts found already applied (a redelivery). */
  applied: number;
  alreadyApplied: number;
  /** The change contributes nothing (another item type, or a change that does not move any figure). */
  ignored: boolean;
}

/** Applies one stream record to the counters, exactly once however often it is delivered. */
export async function applyChange(change: StreamChange, now = new Date(), capacity = MAX_TRANSACTION_ACTIONS - 1): Promise<ApplyResult> {
  const units = unitsOf(change);
  if (units.length === 0) return { applied: 0, alreadyApplied: 0, ignored: true };
  const parts = partsOf(units, capacity);
  let applied = 0;
  let alreadyApplied = 0;
  for (const [index, part] of parts.entries()) {
    // No read of the marker first: the transaction's first action puts it only if absent, so a part applied
    // before (a redelivery) fails that condition and is counted as applied. Reading it first cost every record
    // a round trip to save one only on the rare redelivery.
    for (let attempt = 0; ; attempt += 1) {
      const referenceKeys = part.filter((u) => u.kind === 'reference' && u.ledger === 'live').map((u) => referenceKeyOf(u.key, 'live'));
      const counts = referenceKeys.length > 0 ? await readCounts(referenceKeys) : new Map<string, number>();
      const actions = buildPart(change.eventId, index, part, counts, now);
      try {
        await getDocumentClient().send(new TransactWriteCommand({ TransactItems: actions }));
        applied += 1;
        break;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          alreadyApplied += 1; // applied meanwhile by another delivery
          break;
        }
        const retryable =
          reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError') ||
          ['TransactionConflictException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'].includes(errorName(error));
        if (!retryable || attempt + 1 >= MAX_ATTEMPTS) throw error;
        await pause(attempt);
      }
    }
  }
  return { applied, alreadyApplied, ignored: false };
}

// ---- A whole batch ----------------------------------------------------------

/**
 * A stream batch's changes applied together: consecutive records are grouped
 * into as few transactions as the 100-action limit allows, their counter
 * deltas summed by key, and every record's processed marker (put only if
 * absent) in the transaction that carries its deltas — so each record is still
 * applied exactly once, whichever batch, group or retry delivers it:
 *
 * - a group's transaction lands whole or not at all, markers with deltas;
 * - a redelivered record (part of a batch after ReportBatchItemFailures, or a
 *   whole batch again) fails its marker's condition: the cancellation reasons
 *   say which markers, those records are taken out of the group (already
 *   counted) and the rest is applied without them;
 * - a group that cannot be applied stops the batch there: the records of the
 *   groups before it are applied, it and everything after it are reported
 *   failed (`BatchApplyError.index`), and their redelivery applies each one
 *   once, grouped however the next batch groups them, since the marker is per
 *   record and not per group.
 *
 * A record too large for one transaction beside its marker goes alone through
 * `applyChange` (its parts and their markers, as before).
 */

interface PlannedChange {
  change: StreamChange;
  units: Unit[];
}

/** The items a unit writes (with the distinct counter a live reference may move), as ids unique per item. */
function itemsOf(u: Unit): string[] {
  if (u.kind === 'counter') return [`${u.ledger}|C|${u.key}`];
  if (u.ledger === 'retired') return [`retired|R|${u.key}`];
  return [`live|R|${u.key}`, `live|C|${cellKey(distinctCellOf(parseReferenceKey(u.key)))}`];
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
  /** TransactWriteItems sent that landed. */
  transactions: number;
}

/** Groups consecutive changes (by index) whose summed actions fit one transaction; a large change is a group alone. */
export function groupsOf(planned: readonly PlannedChange[], capacity = MAX_TRANSACTION_ACTIONS): number[][] {
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
    const union = new Set([...items, ...own]);
    if (union.size + current.length + 1 > capacity || events.has(p.change.eventId)) close();
    current.push(index);
    for (const i of own) items.add(i);
    events.add(p.change.eventId);
  }
  close();
  return groups;
}

/** The transaction for a group of records: one marker each, then their summed changes. */
function buildGroup(records: readonly PlannedChange[], counts: Map<string, number>, now: Date): TransactItem[] {
  const markers: TransactItem[] = records.map((r) => ({
    Put: {
      TableName: table(),
      Item: { ...keys.processedRecord(r.change.eventId, 0), type: 'processed', at: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const counters = new Map<string, number>(); // `${ledger}|${cellKey}` → delta
  const retiredReferences = new Map<string, number>();
  const running = new Map<string, number>(); // live reference count, applied record by record in order (the clamp at 0 is per step)
  const addTo = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
  for (const r of records) {
    for (const u of r.units) {
      if (u.kind === 'counter') addTo(counters, `${u.ledger}|${u.key}`, u.delta);
      else if (u.ledger === 'retired') addTo(retiredReferences, u.key, u.delta);
      else {
        const pk = referenceKeyOf(u.key, 'live').pk;
        running.set(u.key, Math.max(0, (running.get(u.key) ?? counts.get(pk) ?? 0) + u.delta));
      }
    }
  }
  const actions: TransactItem[] = [...markers];
  for (const [refKey, after] of running) {
    const key = referenceKeyOf(refKey, 'live');
    const exists = counts.has(key.pk);
    const before = counts.get(key.pk) ?? 0;
    if (after === before) continue; // nothing to write, and no distinct count moves
    const condition = exists
      ? { ConditionExpression: '#n = :before', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':before': before } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    if (after === 0 && !exists) continue;
    actions.push(
      after === 0
        ? { Delete: { TableName: table(), Key: key, ...condition } }
        : { Put: { TableName: table(), Item: { ...key, type: 'referenceCount', n: after }, ...condition } },
    );
    const transition = (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
    if (transition !== 0) addTo(counters, `live|${cellKey(distinctCellOf(parseReferenceKey(refKey)))}`, transition);
  }
  for (const [refKey, delta] of retiredReferences) if (delta !== 0) actions.push(addAction(referenceKeyOf(refKey, 'retired'), delta));
  for (const [k, delta] of counters) {
    if (delta === 0) continue;
    const ledger = k.startsWith('retired|') ? 'retired' : 'live';
    actions.push(addAction(counterKeyOf(parseCellKey(k.slice(ledger.length + 1)), ledger), delta));
  }
  return actions;
}

/** Applies one group; returns how many of its records were applied now and how many were already applied. */
async function applyGroup(group: readonly PlannedChange[], now: Date): Promise<{ applied: number; alreadyApplied: number; transactions: number }> {
  let pending = [...group];
  let alreadyApplied = 0;
  for (let attempt = 0; pending.length > 0; ) {
    const referenceKeys = [...new Set(pending.flatMap((r) => r.units.filter((u) => u.kind === 'reference' && u.ledger === 'live').map((u) => u.key)))].map((k) =>
      referenceKeyOf(k, 'live'),
    );
    const counts = referenceKeys.length > 0 ? await readCounts(referenceKeys) : new Map<string, number>();
    try {
      await getDocumentClient().send(new TransactWriteCommand({ TransactItems: buildGroup(pending, counts, now) }));
      return { applied: pending.length, alreadyApplied, transactions: 1 };
    } catch (error) {
      const reasons = cancellationReasons(error);
      // Markers come first, one per pending record: a failed one is a record applied before (a redelivery).
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
  return { applied: 0, alreadyApplied, transactions: 0 };
}

/**
 * Applies a batch of stream records in order, grouped (see above). Throws
 * `BatchApplyError` naming the first record not applied; every record before
 * it is applied.
 */
export async function applyChanges(changes: readonly StreamChange[], now = new Date(), capacity = MAX_TRANSACTION_ACTIONS): Promise<BatchResult> {
  const planned = changes.map((change) => ({ change, units: unitsOf(change) }));
  const result: BatchResult = { applied: 0, alreadyApplied: 0, ignored: planned.filter((p) => p.units.length === 0).length, transactions: 0 };
  for (const group of groupsOf(planned, capacity)) {
    const first = group[0] as number;
    try {
      if (group.length === 1 && new Set(planned[first]!.units.flatMap(itemsOf)).size + 1 > capacity) {
        const one = await applyChange(planned[first]!.change, now, capacity - 1);
        result.applied += one.applied > 0 ? 1 : 0;
        result.alreadyApplied += one.applied > 0 ? 0 : 1;
        result.transactions += one.applied;
        continue;
      }
      const done = await applyGroup(
        group.map((i) => planned[i]!),
        now,
      );
      result.applied += done.applied;
      result.alreadyApplied += done.alreadyApplied;
      result.transactions += done.transactions;
    } catch (error) {
      throw new BatchApplyError(first, error);
    }
  }
  return result;
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
 * of periods: one Query (paged) on the metric's partition. Its cost depends on
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
