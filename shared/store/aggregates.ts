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
  return out;
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
