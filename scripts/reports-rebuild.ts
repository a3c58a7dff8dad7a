/**
 * `npm run reports:rebuild -- [--repair] [--data-dir <dir>] [--json]`
 *
 * Reconciliation of the reporting counters: recomputes every counter from the
 * source records (the case table) and reports each difference; `--repair`
 * then fixes them. Exit code 0 when the counters agree (or were repaired),
 * 1 when they differ, 2 when they could not be checked.
 *
 * This is an operator's tool, not product code: it SCANS the case table and
 * the Aggregates table (product code never scans; reports read counters only).
 * Run it when the aggregator is quiet: a change that lands during the scan may
 * show up as a difference; `--repair` ADDs the difference (rather than
 * overwriting), so a repair never loses an increment made after the scan, but
 * a second run should then show no difference.
 *
 * Records removed by TTL are gone from the case table, but their figures stay
 * (past months do not fall): the aggregator keeps what they contributed in a
 * "retired" ledger, and the expected value of a counter is what the source
 * records contribute plus that ledger. The ledger kept by contact reference
 * expires (docs/DATA-PROTECTION.md): distinct-reference and journey counters
 * of a period settled that long ago stand as counted and are not checked.
 *
 *   --data-dir  the folder `npm start` runs on (default $WAYMARK_DATA_DIR or .data): its
 *               local-environment.json says where DynamoDB Local and the tables are
 *   --repair    write the corrections
 *   --json      print the whole report as JSON
 *
 * Against AWS: set CASE_TABLE_NAME, AGGREGATES_TABLE_NAME and AWS credentials.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dataDirOf, requireRunningLocal } from './local-target';
import { cellKey, contributions, sumContributions, type CounterCell, type MetricId, type PeriodKind } from '../shared/domain/metrics';
import { decidedDifferences, differencesBetween, expectedFigures, type Difference, type StoredFigures } from '../shared/domain/reconciliation';
import { ukDate } from '../shared/domain/dates';
import { repairDifferences } from '../shared/store/reconciliation';
import { journeyEntriesOf, referenceCountsOf } from '../shared/store/reference-counts';

export type { Difference };

export interface ReconcileReport {
  sourceRecords: number;
  countersChecked: number;
  referenceCountsChecked: number;
  differences: Difference[];
  repaired: number;
}

async function scanAll(client: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** Parses a stored counter item back to its logical key (live or retired). */
function counterOf(item: Record<string, unknown>): { key: string; retired: boolean } | undefined {
  const pk = String(item['pk']);
  const retired = pk.startsWith('RETIRED#');
  const body = retired ? pk.slice('RETIRED#'.length) : pk;
  if (!body.startsWith('COUNT#')) return undefined;
  const [, metric, dim, periodKind] = body.split('#') as [string, MetricId, CounterCell['dim'], PeriodKind];
  const [period, value, series] = String(item['sk']).split('#') as [string, string, string];
  return { key: cellKey({ metric, dim, periodKind, period, value, series }), retired };
}

/**
 * Recomputes every counter from the whole case table and compares it with the whole Aggregates table; repairs if asked.
 * The same arithmetic as the scheduled reconciliation (shared/domain/reconciliation.ts), over all years at once.
 */
export async function reconcile(client: DynamoDBDocumentClient, tables: { caseTable: string; aggregatesTable: string }, repair = false): Promise<ReconcileReport> {
  const source = await scanAll(client, tables.caseTable);
  const fromSource = sumContributions(source.map((item) => contributions(item)));
  const stored: StoredFigures = { liveCounters: new Map(), liveReferences: new Map(), retiredCounters: new Map(), retiredReferences: new Map(), liveJourneys: new Map(), retiredJourneys: new Map() };
  for (const item of await scanAll(client, tables.aggregatesTable)) {
    const n = Number(item['n'] ?? 0);
    const c = counterOf(item);
    if (c) add(c.retired ? stored.retiredCounters : stored.liveCounters, c.key, n);
    const r = referenceCountsOf(item);
    if (r) for (const [key, count] of r.counts) add(r.ledger === 'retired' ? stored.retiredReferences : stored.liveReferences, key, count);
    const j = journeyEntriesOf(item);
    if (j) for (const [key, count] of j.entries) add(j.ledger === 'retired' ? stored.retiredJourneys : stored.liveJourneys, key, count);
  }
  const expected = expectedFigures(fromSource, stored);
  const differences = decidedDifferences(differencesBetween(expected, stored), ukDate(new Date()));
  const repaired = repair ? await repairDifferences(differences, tables.aggregatesTable, client) : 0;
  return { sourceRecords: source.length, countersChecked: expected.counters.size, referenceCountsChecked: expected.references.size, differences, repaired };
}

function usage(message: string): never {
  console.error(`reports:rebuild: ${message}\nUsage: npm run reports:rebuild -- [--repair] [--data-dir <dir>] [--json]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { repair: { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  if (!process.env['AGGREGATES_TABLE_NAME']) {
    const dataDir = dataDirOf(values['data-dir']);
    const local = await requireRunningLocal(dataDir, 'reports:rebuild');
    if (!local.tableNames.Aggregates) usage(`${dataDir} names no Aggregates table: restart npm start with this version`);
    Object.assign(process.env, { DYNAMODB_ENDPOINT: local.dynamoEndpoint, CASE_TABLE_NAME: local.tableNames.Case, AGGREGATES_TABLE_NAME: local.tableNames.Aggregates });
  }
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const endpoint = process.env['DYNAMODB_ENDPOINT'];
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env['AWS_REGION'] ?? 'eu-west-2', ...(endpoint ? { endpoint } : {}) }));
  const report = await reconcile(
    client,
    { caseTable: process.env['CASE_TABLE_NAME'] as string, aggregatesTable: process.env['AGGREGATES_TABLE_NAME'] as string },
    values.repair,
  );
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`Reporting counters: ${report.sourceRecords} source records, ${report.countersChecked} counters, ${report.referenceCountsChecked} reference counts checked`);
    if (report.differences.length === 0) console.log('  no difference');
    for (const d of report.differences.slice(0, 50)) console.log(`  ${d.kind} ${d.key}: counted ${d.actual}, recomputed ${d.expected}`);
    if (report.differences.length > 50) console.log(`  (${report.differences.length - 50} more)`);
    if (values.repair) console.log(`  repaired ${report.repaired}`);
  }
  client.destroy();
  process.exit(report.differences.length === 0 || values.repair ? 0 : 1);
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  main().catch((error: unknown) => {
    console.error(`reports:rebuild could not check the counters: ${(error as Error).name}: ${(error as Error).message}`);
    process.exit(2);
  });
}
