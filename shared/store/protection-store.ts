import { gunzipSync, gzipSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { MetricId } from '../domain/metrics';
import { protectionSlot, type StoredProtection } from '../domain/reports';
import { aggregatesTableName } from './aggregates';
import { batchGetAll } from './batch-get';
import { getDocumentClient } from './client';
import { keys, type ItemKey } from './keys';

/**
 * The protections the scheduled report protection (functions/report-protection) keeps in the Aggregates table, one
 * item per metric, year and threshold: the digest of the linked set they were decided for, when, and the hidden
 * figures' keys as gzipped text (a region's sparse year hides some 17,000 figures: about 600 KB of keys, under 60 KB
 * gzipped, well inside DynamoDB's 400 KB item).
 */

const table = aggregatesTableName;

/** A pattern too large to keep (bytes, gzipped): not written; reports start from the last one kept, or from nothing. */
export const MAX_STORED_PROTECTION_BYTES = 350_000;

interface ProtectionItem extends ItemKey {
  digest: string;
  computedAt: string;
  hiddenGzip: Uint8Array;
}

/** The stored protections of some metrics' years at a threshold, by `protectionSlot`; a missing one is absent. */
export async function readProtections(slots: ReadonlyArray<{ metric: MetricId; year: string }>, threshold: number): Promise<Map<string, StoredProtection>> {
  const out = new Map<string, StoredProtection>();
  if (slots.length === 0) return out;
  const wanted = slots.map(({ metric, year }) => keys.protection({ metric, year, threshold }));
  for (const item of (await batchGetAll(table(), wanted)) as unknown as ProtectionItem[]) {
    const metric = item.pk.slice('PROTECTION#'.length) as MetricId;
    const year = item.sk.split('#')[0] as string;
    const hidden = gunzipSync(item.hiddenGzip).toString('utf8');
    out.set(protectionSlot(metric, year), { digest: item.digest, computedAt: item.computedAt, hidden: hidden === '' ? [] : hidden.split('\n') });
  }
  return out;
}

/** Keeps a metric's year as protected; false (nothing written) when the pattern is too large to keep. */
export async function saveProtection(metric: MetricId, year: string, threshold: number, protection: StoredProtection): Promise<boolean> {
  const hiddenGzip = gzipSync([...protection.hidden].sort().join('\n'));
  if (hiddenGzip.byteLength > MAX_STORED_PROTECTION_BYTES) return false;
  const item: ProtectionItem = { ...keys.protection({ metric, year, threshold }), digest: protection.digest, computedAt: protection.computedAt, hiddenGzip };
  await getDocumentClient().send(new PutCommand({ TableName: table(), Item: item }));
  return true;
}
