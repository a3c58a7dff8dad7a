import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseCellKey } from '../domain/metrics';
import { aggregatesTableName } from './aggregates';
import { batchGetAll } from './batch-get';
import { getDocumentClient } from './client';
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

/**
 * The case-table records the champion metrics are built from. The aggregator moves the champion records' token when
 * a batch holds a change to one of them (after the change, so a report that reads the old token and then the new
 * records only remembers them under a token about to move): a warm instance that remembers the champion metrics'
 * years under the token reads no champion, and sees a change once the stream has delivered it, as it sees contacts.
 */
export const CHAMPION_RECORD_TYPES: ReadonlySet<string> = new Set(['champion', 'completion', 'course']);

/** Marks the champion records changed: a fresh token (a plain UpdateItem: moving it twice is harmless). */
export async function moveChampionRecordsToken(): Promise<void> {
  await getDocumentClient().send(
    new UpdateCommand({
      TableName: aggregatesTableName(),
      Key: keys.championRecordsToken(),
      UpdateExpression: 'SET #type = :type, #t = :t',
      ExpressionAttributeNames: { '#type': 'type', '#t': 't' },
      ExpressionAttributeValues: { ':type': 'championRecordsToken', ':t': newCountedYearToken() },
    }),
  );
}

/** What a report reads first: the years' tokens and, when asked, the champion records' token; none where never moved. */
export interface CountedTokens {
  years: Map<string, string>;
  champions?: string;
}

/** The years' tokens (and the champion records' when asked), read consistently in one BatchGetItem. */
export async function readCountedTokens(years: readonly string[], champions: boolean): Promise<CountedTokens> {
  const out: CountedTokens = { years: new Map() };
  const wanted = [...years.map(keys.countedYear), ...(champions ? [keys.championRecordsToken()] : [])];
  if (wanted.length === 0) return out;
  for (const item of await batchGetAll(aggregatesTableName(), wanted, { consistentRead: true })) {
    if (typeof item['t'] !== 'string') continue;
    if (item['sk'] === keys.championRecordsToken().sk) out.champions = item['t'];
    else out.years.set(String(item['sk']), item['t']);
  }
  return out;
}
