import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient } from './client';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from './pagination';
import { caseTable } from './tables';

/** Items read per Query call while filtering: a page of a team's or a catalogue's records, rarely more. */
const BATCH = 100;

/** The attributes of a case-table item that make up a cursor for a query on the table or one of its indexes. */
function keyAttributes(indexName: string | undefined): string[] {
  const base = [caseTable.partitionKey.name, caseTable.sortKey.name];
  if (!indexName) return base;
  const index = caseTable.globalSecondaryIndexes.find((i) => i.indexName === indexName);
  if (!index) throw new Error(`No index ${indexName} on the case table`);
  return [...base, index.partitionKey.name, index.sortKey.name];
}

/**
 * One page of a Query whose items are filtered (and shaped) in code, paginated
 * correctly: the page holds up to `limit` items that pass, and `nextCursor` is
 * the key of the last of them, given only when at least one more item passes.
 *
 * This is a Query over one partition (a team's champions, the catalogue, one
 * champion's completions), never a Scan: the partition is small (dozens of
 * items), and the filters depend on values derived at read time (training
 * status from the courses' current validity), which no key or FilterExpression
 * can hold.
 */
export async function queryFilteredPage<T>(
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'Select'>,
  page: PageQuery,
  shape: (item: Record<string, unknown>) => T | undefined,
): Promise<Page<T>> {
  const attributes = keyAttributes(input.IndexName);
  const keyOf = (item: Record<string, unknown>) => Object.fromEntries(attributes.map((a) => [a, item[a]]));
  const out: T[] = [];
  let lastKept: Record<string, unknown> | undefined;
  let start: Record<string, unknown> | undefined = decodeCursor(page.cursor);
  for (;;) {
    const result = await getDocumentClient().send(new QueryCommand({ ...input, Limit: BATCH, ExclusiveStartKey: start }));
    for (const item of result.Items ?? []) {
      const shaped = shape(item);
      if (shaped === undefined) continue;
      if (out.length === page.limit) return { items: out, nextCursor: encodeCursor(lastKept && keyOf(lastKept)) };
      out.push(shaped);
      lastKept = item;
    }
    if (!result.LastEvaluatedKey) return { items: out, nextCursor: null };
    start = result.LastEvaluatedKey;
  }
}

/** Every item of a small partition (the course catalogue), all pages. */
export async function queryAll(input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'Select'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await getDocumentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** How many items a Query matches, counted page by page without reading them out. */
export async function queryCount(input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'Select'>): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const result = await getDocumentClient().send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: start }));
    count += result.Count ?? 0;
    start = result.LastEvaluatedKey;
  } while (start);
  return count;
}
