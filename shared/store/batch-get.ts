import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient } from './client';
import type { ItemKey } from './keys';

/**
 * Every item stored under some keys of one table, through BatchGetItem: 100 keys a call (its limit), the keys it
 * leaves unprocessed (throttling, or past 16 MB a response) asked again after 20, 40, 80… ms; a key with no item
 * gives nothing. Fails after 9 rounds that each leave keys unprocessed.
 */
export async function batchGetAll(
  tableName: string,
  itemKeys: readonly ItemKey[],
  options: { consistentRead?: boolean; projection?: string } = {},
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: ItemKey[] = itemKeys.slice(i, i + 100);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round > 8) throw new Error('BatchGetItem kept leaving keys unprocessed');
      const request = {
        Keys: pending,
        ...(options.consistentRead ? { ConsistentRead: true } : {}),
        ...(options.projection ? { ProjectionExpression: options.projection } : {}),
      };
      const result = await getDocumentClient().send(new BatchGetCommand({ RequestItems: { [tableName]: request } }));
      out.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys as ItemKey[] | undefined) ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round));
    }
  }
  return out;
}
