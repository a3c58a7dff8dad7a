/**
 * `npm run retention:backfill -- [--data-dir <dir>] [--page-size <n>] [--restart] [--json]`
 *
 * Moves the expiry (DynamoDB's TTL attribute) of every existing case record that follows the contact
 * retention — contacts, signposting, contact references, escalations — to what the retention in force
 * (GET /settings/retention) gives it. New records carry the setting from the moment it is saved; this brings
 * the ones written before into line.
 *
 * Resumable: after each page of the scan it records, in the case table, where it got to and for which
 * setting (`keys.retentionBackfill()`). Run again after an interruption, it carries on from there; run after
 * the setting changed again, it starts over for the new one; run when it has finished for the setting in
 * force, it does nothing. Each update is recomputed from the record's own time (a contact's `createdAt`, an
 * escalation's `raisedAt`, a reference's expiry less the days it was written with), so a page done twice
 * changes nothing the second time.
 *
 * An operator's tool, like reports:rebuild: it SCANS the case table (product code never scans). The audit
 * trail is not moved: each audit event's expiry is part of what its seal covers (docs/AUDIT.md), so audit
 * retention applies to events written after the change (docs/DATA-PROTECTION.md).
 *
 * Against AWS: set CASE_TABLE_NAME and AWS credentials (CONTACT_RETENTION_DAYS as deployed, if not the default).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseTableTool } from './local-target';
import { DEFAULT_CONTACT_RETENTION_DAYS } from '../shared/domain/contact-defaults';
import { effectiveRetention, expiryAfter, reexpiry } from '../shared/domain/retention';
import { keys } from '../shared/store/keys';

export interface BackfillOptions {
  /** Items per scan page (default 200). */
  pageSize?: number;
  /** Stop after this many pages, as an interruption would (tests; a bounded run). */
  stopAfterPages?: number;
  /** Start over even where a run for the same setting got to. */
  restart?: boolean;
  /** The days records written before any setting carry (the deployment's CONTACT_RETENTION_DAYS). */
  legacyDays?: number;
  now?: Date;
}

export interface BackfillProgress {
  contactDays: number;
  settingVersion: number;
  cursor?: Record<string, unknown> | undefined;
  scanned: number;
  updated: number;
  pages: number;
  startedAt: string;
  finishedAt?: string;
}

export interface BackfillReport {
  /** What this run did. */
  scanned: number;
  updated: number;
  pages: number;
  resumed: boolean;
  finished: boolean;
  /** The whole backfill for this setting so far (over every run). */
  progress: BackfillProgress;
}

const RETAINED = new Set(['contact', 'signposting', 'contactReference', 'escalation']);

/** The expiry a retained item should have under `days`, or undefined if it has it already (or is not retained). */
async function wantedExpiry(
  item: Record<string, unknown>,
  days: number,
  legacyDays: number,
  createdAtOfContact: (contactId: string) => Promise<string | undefined>,
): Promise<number | undefined> {
  const current = Number(item['expiresAt']);
  let wanted: number | undefined;
  switch (item['type']) {
    case 'contact':
      wanted = expiryAfter(new Date(String(item['createdAt'])), days);
      break;
    case 'escalation':
      wanted = expiryAfter(new Date(String(item['raisedAt'])), days);
      break;
    case 'signposting': {
      const createdAt = await createdAtOfContact(String(item['contactId']));
      wanted = createdAt === undefined ? undefined : expiryAfter(new Date(createdAt), days);
      break;
    }
    case 'contactReference':
      wanted = reexpiry({ expiresAt: current, retentionDays: item['retentionDays'] as number | undefined }, legacyDays, days);
      break;
  }
  return wanted === undefined || wanted === current ? undefined : wanted;
}

export async function backfillRetention(client: DynamoDBDocumentClient, caseTable: string, options: BackfillOptions = {}): Promise<BackfillReport> {
  const pageSize = options.pageSize ?? 200;
  const legacyDays = options.legacyDays ?? DEFAULT_CONTACT_RETENTION_DAYS;
  const now = options.now ?? new Date();
  const setting = (await client.send(new GetCommand({ TableName: caseTable, Key: keys.retentionSettings(), ConsistentRead: true }))).Item as
    | { contactYears: number; auditYears: number; version: number }
    | undefined;
  const { contactDays, version } = effectiveRetention(setting, { contactDays: legacyDays, auditDays: 0 });
  const stored = (await client.send(new GetCommand({ TableName: caseTable, Key: keys.retentionBackfill(), ConsistentRead: true }))).Item as BackfillProgress | undefined;
  const sameSetting = stored !== undefined && stored.contactDays === contactDays && stored.settingVersion === version && !options.restart;
  const run = { scanned: 0, updated: 0, pages: 0 };
  if (sameSetting && stored.finishedAt) return { ...run, resumed: false, finished: true, progress: stored };
  const progress: BackfillProgress = sameSetting
    ? { ...stored }
    : { contactDays, settingVersion: version, scanned: 0, updated: 0, pages: 0, startedAt: now.toISOString() };
  const resumed = sameSetting;
  const contactCreatedAt = new Map<string, string | undefined>();
  const createdAtOfContact = async (contactId: string) => {
    if (!contactCreatedAt.has(contactId)) {
      const head = await client.send(new GetCommand({ TableName: caseTable, Key: keys.contact(contactId), ProjectionExpression: 'createdAt', ConsistentRead: true }));
      contactCreatedAt.set(contactId, head.Item?.['createdAt'] as string | undefined);
    }
    return contactCreatedAt.get(contactId);
  };
  do {
    const page = await client.send(
      new ScanCommand({ TableName: caseTable, Limit: pageSize, ConsistentRead: true, ...(progress.cursor ? { ExclusiveStartKey: progress.cursor } : {}) }),
    );
    let pageUpdated = 0;
    for (const item of page.Items ?? []) {
      run.scanned += 1;
      if (!RETAINED.has(String(item['type'])) || typeof item['expiresAt'] !== 'number') continue;
      const wanted = await wantedExpiry(item, contactDays, legacyDays, createdAtOfContact);
      if (wanted === undefined) continue;
      try {
        await client.send(
          new UpdateCommand({
            TableName: caseTable,
            Key: { pk: item['pk'], sk: item['sk'] },
            UpdateExpression: item['type'] === 'contactReference' ? 'SET expiresAt = :wanted, retentionDays = :days' : 'SET expiresAt = :wanted',
            // Only the expiry read is replaced: a record removed meanwhile is not brought back, and a reference a
            // repeat contact moved on meanwhile (with the setting in force) keeps what that write gave it.
            ConditionExpression: 'attribute_exists(pk) AND expiresAt = :read',
            ExpressionAttributeValues: { ':wanted': wanted, ':read': item['expiresAt'], ...(item['type'] === 'contactReference' ? { ':days': contactDays } : {}) },
          }),
        );
        pageUpdated += 1;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    run.pages += 1;
    run.updated += pageUpdated;
    progress.cursor = page.LastEvaluatedKey;
    progress.scanned += page.Items?.length ?? 0;
    progress.updated += pageUpdated;
    progress.pages += 1;
    if (!progress.cursor) progress.finishedAt = new Date().toISOString();
    const { cursor, ...rest } = progress;
    await client.send(new PutCommand({ TableName: caseTable, Item: { ...keys.retentionBackfill(), type: 'retentionBackfill', ...rest, ...(cursor ? { cursor } : {}) } }));
    if (options.stopAfterPages !== undefined && run.pages >= options.stopAfterPages && progress.cursor) break;
  } while (progress.cursor);
  return { ...run, resumed, finished: progress.cursor === undefined, progress };
}

function usage(message: string): never {
  console.error(`retention:backfill: ${message}\nUsage: npm run retention:backfill -- [--data-dir <dir>] [--page-size <n>] [--restart] [--json]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, 'page-size': { type: 'string' }, restart: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const { client, tableName, ...paging } = await caseTableTool('retention:backfill', { dataDir: values['data-dir'], pageSize: values['page-size'] }, usage);
  const legacy = process.env['CONTACT_RETENTION_DAYS'];
  const report = await backfillRetention(client, tableName, {
    ...paging,
    restart: values.restart,
    ...(legacy ? { legacyDays: Number(legacy) } : {}),
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    const p = report.progress;
    console.log(
      `Retention backfill to ${p.contactDays} days (setting version ${p.settingVersion}): ${report.resumed ? 'resumed; ' : ''}` +
        `this run scanned ${report.scanned} items and moved ${report.updated} expiries; in all ${p.scanned} scanned, ${p.updated} moved; ` +
        (report.finished ? `finished ${p.finishedAt}` : 'not finished: run it again to carry on'),
    );
  }
  client.destroy();
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  main().catch((error: unknown) => {
    console.error(`retention:backfill stopped: ${(error as Error).name}: ${(error as Error).message} (run it again to carry on from the last page recorded)`);
    process.exit(2);
  });
}
