/**
 * `npm run contacts:migrate-community -- [--apply] [--data-dir <dir>] [--page-size <n>] [--restart] [--json]`
 *
 * Brings the records saved before issue 18 to its shape, in one resumable scan:
 * - gives every signposting item saved without it its contact's reference (`contactReference`), which joins a
 *   signposting to the support network with the sessions the person later shows their card at ("signposted, then
 *   attended"): until then such a signposting never counted there. Conditional on the item still lacking it, so a
 *   second run changes nothing; the reference is the contact's own, never inferred;
 * - takes the free-text `demographics.community` out of every contact logged before ethnic group and religion became
 *   closed categories. What becomes of each value is decided in shared/domain/community-migration.ts: the
 * text is removed, and becomes an ethnic group only when it is exactly one of the ONS 2021 categories and the record
 * has none; otherwise the ethnic group stays not recorded. The text itself is never printed, logged or stored
 * elsewhere: the report names counts only.
 *
 * **A dry run unless `--apply`:** without it nothing is written (not even progress), and the report says how many
 * contacts hold the field and how many would gain an ethnic group.
 *
 * Resumable (with `--apply`): after each page of the scan it records where it got to (`keys.communityMigration()`);
 * run again after an interruption, it carries on from there; run when it has finished, it does nothing (`--restart`
 * scans again from the start). Idempotent: each update is conditional on the record still holding the field at the
 * version read, so a page done twice changes nothing the second time, and a contact corrected meanwhile is read
 * again rather than overwritten. Each migrated contact's version moves (an open form on it is then refused as stale),
 * and the change reaches the reporting aggregator through the stream like any correction: a contact that gains an
 * ethnic group moves from "not recorded" to it; removing the text moves no figure (no figure ever read it).
 *
 * An operator's tool, like reports:rebuild and retention:backfill: it SCANS the case table (product code never scans).
 * Against AWS: set CASE_TABLE_NAME and AWS credentials.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseTableTool } from './local-target';
import { migrateCommunity } from '../shared/domain/community-migration';
import { keys } from '../shared/store/keys';

export interface CommunityMigrationOptions {
  /** Write the changes (default: a dry run that writes nothing). */
  apply?: boolean;
  /** Items per scan page (default 200). */
  pageSize?: number;
  /** Stop after this many pages, as an interruption would (tests; a bounded run). */
  stopAfterPages?: number;
  /** Scan again from the start, even where an earlier run got to or finished. */
  restart?: boolean;
  now?: Date;
}

export interface CommunityMigrationProgress {
  cursor?: Record<string, unknown> | undefined;
  scanned: number;
  /** Contacts whose free text was removed. */
  migrated: number;
  /** Of those, contacts that gained an ethnic group (the text was exactly a category). */
  mapped: number;
  /** Signposting items given their contact's reference. */
  referenced?: number;
  pages: number;
  startedAt: string;
  finishedAt?: string;
}

export interface CommunityMigrationReport {
  dryRun: boolean;
  /** What this run did (or, dry, would do). */
  scanned: number;
  /** Contacts holding the free text: migrated now, or (dry) to migrate. */
  holding: number;
  mapped: number;
  /** Signposting items without their contact's reference: given it now, or (dry) to give. */
  unreferenced: number;
  /** Contacts changed by someone between the read and the write: read again and migrated at their new version. */
  retried: number;
  pages: number;
  resumed: boolean;
  finished: boolean;
  /** The whole migration so far, over every applying run (undefined on a dry run that found none recorded). */
  progress?: CommunityMigrationProgress;
}

/** Migrates one contact at the version read; on a lost race, reads it again (a few times) and migrates what is there. */
async function migrateOne(client: DynamoDBDocumentClient, caseTable: string, item: Record<string, unknown>, now: Date): Promise<{ migrated: boolean; mapped: boolean; retried: number }> {
  let current: Record<string, unknown> | undefined = item;
  for (let attempt = 0; attempt < 5 && current; attempt += 1) {
    const plan = current['type'] === 'contact' ? migrateCommunity(current['demographics'] as Record<string, unknown> | undefined) : undefined;
    if (!plan) return { migrated: false, mapped: false, retried: attempt };
    try {
      await client.send(
        new UpdateCommand({
          TableName: caseTable,
          Key: { pk: current['pk'], sk: current['sk'] },
          UpdateExpression: 'SET #d = :demographics, #v = :next, #u = :now',
          ConditionExpression: 'attribute_exists(#d.#c) AND #v = :read',
          ExpressionAttributeNames: { '#d': 'demographics', '#c': 'community', '#v': 'version', '#u': 'updatedAt' },
          ExpressionAttributeValues: { ':demographics': plan.demographics, ':next': Number(current['version']) + 1, ':read': current['version'], ':now': now.toISOString() },
        }),
      );
      return { migrated: true, mapped: plan.mappedTo !== undefined, retried: attempt };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      current = (await client.send(new GetCommand({ TableName: caseTable, Key: { pk: current['pk'], sk: current['sk'] }, ConsistentRead: true }))).Item;
    }
  }
  if (current && migrateCommunity(current['demographics'] as Record<string, unknown> | undefined)) throw new Error('a contact kept changing while it was migrated; run again');
  return { migrated: false, mapped: false, retried: 5 };
}

/**
 * The reference a signposting item saved without one should carry: its contact's (read consistently), or undefined
 * when it has one already, or its contact has none (a contact logged without a reference).
 */
async function missingReference(client: DynamoDBDocumentClient, caseTable: string, item: Record<string, unknown>): Promise<string | undefined> {
  if (item['type'] !== 'signposting' || item['contactReference'] !== undefined) return undefined;
  const contact = (await client.send(new GetCommand({ TableName: caseTable, Key: { pk: item['pk'], sk: keys.contact('').sk }, ConsistentRead: true }))).Item;
  const reference = contact?.['contactReference'];
  return typeof reference === 'string' ? reference : undefined;
}

/** Gives a signposting item its contact's reference, only while it still has none (a repeat changes nothing). */
async function referenceOne(client: DynamoDBDocumentClient, caseTable: string, item: Record<string, unknown>, reference: string): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: caseTable,
        Key: { pk: item['pk'], sk: item['sk'] },
        UpdateExpression: 'SET #r = :r',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#r)',
        ExpressionAttributeNames: { '#r': 'contactReference' },
        ExpressionAttributeValues: { ':r': reference },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function migrateCommunities(client: DynamoDBDocumentClient, caseTable: string, options: CommunityMigrationOptions = {}): Promise<CommunityMigrationReport> {
  const apply = options.apply === true;
  const pageSize = options.pageSize ?? 200;
  const now = options.now ?? new Date();
  const stored = (await client.send(new GetCommand({ TableName: caseTable, Key: keys.communityMigration(), ConsistentRead: true }))).Item as CommunityMigrationProgress | undefined;
  // A migration finished by an earlier version did not give signposting its reference: this one scans again.
  const beforeReferences = stored?.finishedAt !== undefined && stored.referenced === undefined;
  const resume = apply && stored !== undefined && !options.restart && !beforeReferences;
  const run = { scanned: 0, holding: 0, mapped: 0, unreferenced: 0, retried: 0, pages: 0 };
  if (resume && stored.finishedAt) return { dryRun: false, ...run, resumed: false, finished: true, progress: stored };
  const progress: CommunityMigrationProgress = resume ? { ...stored } : { scanned: 0, migrated: 0, mapped: 0, pages: 0, startedAt: now.toISOString() };
  let cursor = progress.cursor;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: caseTable,
        Limit: pageSize,
        ConsistentRead: true,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    let pageMigrated = 0;
    let pageMapped = 0;
    let pageReferenced = 0;
    for (const item of page.Items ?? []) {
      run.scanned += 1;
      const reference = await missingReference(client, caseTable, item);
      if (reference !== undefined) {
        if (!apply) run.unreferenced += 1;
        else if (await referenceOne(client, caseTable, item, reference)) pageReferenced += 1;
        continue;
      }
      if (item['type'] !== 'contact') continue;
      const plan = migrateCommunity(item['demographics'] as Record<string, unknown> | undefined);
      if (!plan) continue;
      if (!apply) {
        run.holding += 1;
        if (plan.mappedTo) run.mapped += 1;
        continue;
      }
      const done = await migrateOne(client, caseTable, item, now);
      run.retried += done.retried;
      if (done.migrated) pageMigrated += 1;
      if (done.mapped) pageMapped += 1;
    }
    run.pages += 1;
    cursor = page.LastEvaluatedKey;
    if (apply) {
      run.holding += pageMigrated;
      run.mapped += pageMapped;
      run.unreferenced += pageReferenced;
      Object.assign(progress, {
        cursor,
        scanned: progress.scanned + (page.Items?.length ?? 0),
        migrated: progress.migrated + pageMigrated,
        mapped: progress.mapped + pageMapped,
        referenced: (progress.referenced ?? 0) + pageReferenced,
        pages: progress.pages + 1,
      });
      if (!cursor) progress.finishedAt = new Date().toISOString();
      const { cursor: at, ...rest } = progress;
      await client.send(new PutCommand({ TableName: caseTable, Item: { ...keys.communityMigration(), type: 'communityMigration', ...rest, ...(at ? { cursor: at } : {}) } }));
    }
    if (options.stopAfterPages !== undefined && run.pages >= options.stopAfterPages && cursor) break;
  } while (cursor);
  return { dryRun: !apply, ...run, resumed: resume, finished: cursor === undefined, ...(apply ? { progress } : stored ? { progress: stored } : {}) };
}

function usage(message: string): never {
  console.error(`contacts:migrate-community: ${message}\nUsage: npm run contacts:migrate-community -- [--apply] [--data-dir <dir>] [--page-size <n>] [--restart] [--json]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        apply: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        'page-size': { type: 'string' },
        restart: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const { client, tableName, ...paging } = await caseTableTool('contacts:migrate-community', { dataDir: values['data-dir'], pageSize: values['page-size'] }, usage);
  const report = await migrateCommunities(client, tableName, {
    apply: values.apply,
    restart: values.restart,
    ...paging,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else if (report.dryRun) {
    console.log(
      `Dry run (nothing written): ${report.scanned} items scanned; ${report.holding} contacts hold a free-text community, ` +
        `${report.mapped} of them exactly an ethnic group category; ${report.unreferenced} signposting items lack their contact's reference. ` +
        'Run with --apply to remove the text (and record those categories) and give those items their reference.',
    );
  } else {
    const p = report.progress!;
    console.log(
      `Community migration: ${report.resumed ? 'resumed; ' : ''}this run scanned ${report.scanned} items and removed the free text from ${report.holding} contacts ` +
        `(${report.mapped} given the ethnic group they named exactly) and gave ${report.unreferenced} signposting items their contact's reference; ` +
        `in all ${p.migrated} migrated, ${p.mapped} mapped, ${p.referenced ?? 0} referenced; ` +
        (report.finished ? `finished ${p.finishedAt}` : 'not finished: run it again to carry on'),
    );
  }
  client.destroy();
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  main().catch((error: unknown) => {
    console.error(`contacts:migrate-community stopped: ${(error as Error).name}: ${(error as Error).message} (run it again with --apply to carry on from the last page recorded)`);
    process.exit(2);
  });
}
