import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parseCellKey } from '../domain/metrics';
import { aggregatesTableName } from './aggregates';
import { batchGetAll } from './batch-get';
import { getDocumentClient } from './client';
import { type ItemKey, keys } from './keys';
import type { TransactItem } from './transact';

/**
 * Each year's counter token in the Aggregates table: a fresh random value, written after every change to the year's
 * live counters — by the aggregator once a stream batch's transactions have landed (one UpdateItem per year the batch
 * moved, or found moved by an earlier delivery that may have stopped before moving the tokens), and by a repair (the
 * scheduled reconciliation, `npm run reports:rebuild`) once its transactions have landed, or one failed. A warm reports instance that
 * remembers a metric's year built and protected for a token reads the tokens first (one consistent BatchGetItem) and
 * skips that year's counters while its token is the same (docs/METRICS.md, "What a warm instance remembers").
 *
 * Why it is safe: the token is read consistently before the counters, and the counters are then read consistently,
 * so they hold at least every change whose token had moved. A change that lands after the token read is either read
 * too, or not, and remembered under that token either way — and its token moves after it, so the next read differs
 * and the year is read again. Between a batch's counters and its token (a second or two), a warm instance may still
 * serve the figures from before the batch, as it would have a moment earlier. A token is random rather than a count,
 * so a table emptied or made again never hands back a token an instance remembers. A batch that is never applied
 * whole (it went to the dead-letter queue after its retries) may leave a year's token unmoved until the next batch
 * that moves that year; anything writing live counters around the aggregator and the repairs (nothing does) would
 * leave warm instances on the figures they remember.
 */

/** A fresh token. */
export const newCountedYearToken = (): string => randomUUID();

/** The year a live counter (`cellKey`) counts in: its period's first four characters (month, quarter or year). */
export const yearOfCounter = (cellKey: string): string => parseCellKey(cellKey).period.slice(0, 4);

/** The update that gives a token item (a year's, or the champion records') a fresh token. */
const tokenUpdate = (key: ItemKey, type: string, token: string, tableName: string) => ({
  TableName: tableName,
  Key: key,
  UpdateExpression: 'SET #type = :type, #t = :t',
  ExpressionAttributeNames: { '#type': 'type', '#t': 't' },
  ExpressionAttributeValues: { ':type': type, ':t': token },
});

/** The same for a year, as an action of a transaction (the report-cost benchmark marks the years it seeds). */
export const countedYearAction = (year: string, token: string, tableName = aggregatesTableName()): TransactItem => ({ Update: tokenUpdate(keys.countedYear(year), 'countedYear', token, tableName) });

/**
 * The case-table records the champion metrics are built from. The aggregator moves the champion records' token when
 * a batch holds a change to one of them (after the change, so a report that reads the old token and then the new
 * records only remembers them under a token about to move): a warm instance that remembers the champion metrics'
 * years under the token reads no champion, and sees a change once the stream has delivered it, as it sees contacts.
 */
export const CHAMPION_RECORD_TYPES: ReadonlySet<string> = new Set(['champion', 'completion', 'course']);

/** Marks the champion records changed: a fresh token (a plain UpdateItem: moving it twice is harmless). */
export async function moveChampionRecordsToken(): Promise<void> {
  await getDocumentClient().send(new UpdateCommand(tokenUpdate(keys.championRecordsToken(), 'championRecordsToken', newCountedYearToken(), aggregatesTableName())));
}

/** What a report reads first: the years' tokens and, when asked, the champion records' token; none where never moved. */
export interface CountedTokens {
  years: Map<string, string>;
  champions?: string;
}

/**
 * Marks some years' live counters changed, after the writes that changed them: one fresh token, one UpdateItem per
 * year (a year or two per stream batch or repair).
 */
export async function moveCountedYears(years: Iterable<string>, tableName = aggregatesTableName(), client: DynamoDBDocumentClient = getDocumentClient()): Promise<void> {
  const token = newCountedYearToken();
  for (const year of [...years].sort()) await client.send(new UpdateCommand(tokenUpdate(keys.countedYear(year), 'countedYear', token, tableName)));
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
