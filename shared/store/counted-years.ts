import { randomUUID } from 'node:crypto';
import { parseCellKey } from '../domain/metrics';
import { aggregatesTableName } from './aggregates';
import { batchGetAll } from './batch-get';
import { keys } from './keys';
import type { TransactItem } from './transact';

/**
 * Each year's counter version in the Aggregates table: a fresh random token, written with every change to the year's
 * live counters — in the aggregator's transaction that carries the deltas (and in each transaction of a change too
 * large for one), and in each transaction of a repair (the scheduled reconciliation, `npm run reports:rebuild`). A warm
 * reports instance that remembers a metric's year built and protected for a token reads the tokens first (one
 * consistent BatchGetItem) and skips that year's counters while its token is the same (docs/METRICS.md, "What a
 * report reads").
 *
 * Why it is safe: the token is read consistently before the counters, and the counters are then read consistently,
 * so they hold at least every change up to the token read; a change landing in between is read too, and remembered
 * under the older token, whose next read then differs — the year is read again. A token is random rather than a
 * count, so a table emptied or made again never hands back a token an instance remembers. Anything writing live
 * counters without a token (there is nothing else) would leave warm instances on the figures they remember.
 */

/** A fresh token for one transaction's changes. */
export const newCountedYearToken = (): string => randomUUID();

/** The year a live counter (`cellKey`) counts in: its period's first four characters (month, quarter or year). */
export const yearOfCounter = (cellKey: string): string => parseCellKey(cellKey).period.slice(0, 4);

/** The action that marks a year's live counters changed, for the transaction that changes them. */
export const countedYearAction = (year: string, token: string, tableName = aggregatesTableName()): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.countedYear(year),
    UpdateExpression: 'SET #type = :type, #t = :t',
    ExpressionAttributeNames: { '#type': 'type', '#t': 't' },
    ExpressionAttributeValues: { ':type': 'countedYear', ':t': token },
  },
});

/**
 * Some counter-changing actions (counter ADDs of the given years) as transactions of at most `max` actions, each
 * carrying the token of every year its actions change, so no counter lands without its year's token moving with it.
 */
export function withCountedYears(actions: ReadonlyArray<{ action: TransactItem; year?: string }>, max: number, tableName = aggregatesTableName()): TransactItem[][] {
  const years = [...new Set(actions.flatMap((a) => (a.year === undefined ? [] : [a.year])))].sort();
  const room = max - years.length;
  if (room < 1) throw new Error(`${years.length} years of counters cannot be marked in transactions of ${max} actions`);
  const out: TransactItem[][] = [];
  for (let i = 0; i < actions.length; i += room) {
    const chunk = actions.slice(i, i + room);
    const token = newCountedYearToken();
    const chunkYears = [...new Set(chunk.flatMap((a) => (a.year === undefined ? [] : [a.year])))].sort();
    out.push([...chunk.map((a) => a.action), ...chunkYears.map((y) => countedYearAction(y, token, tableName))]);
  }
  return out;
}

/** The years' tokens, read consistently; a year whose counters were never changed since tokens began has none. */
export async function readCountedYears(years: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (years.length === 0) return out;
  for (const item of await batchGetAll(aggregatesTableName(), years.map(keys.countedYear), { consistentRead: true })) {
    if (typeof item['t'] === 'string') out.set(String(item['sk']), item['t']);
  }
  return out;
}
