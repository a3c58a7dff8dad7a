/**
 * How the operator tools (reports:rebuild, audit:verify, dead-letters:replay) find the Waymark
 * `npm start` runs: its data folder's local-environment.json says where DynamoDB Local and the
 * tables are. When nothing answers there, they say so in one plain sentence instead of a
 * connection error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_ENVIRONMENT_FILE } from '../infra/local/environment';
import { useLocalCredentials } from '../infra/local/dynamodb-local';

export interface LocalTarget {
  dataDir: string;
  dynamoEndpoint: string;
  tableNames: { Case: string; Audit: string; Aggregates?: string };
  auditDigestDir: string;
}

export const NOT_RUNNING = 'Waymark is not running: start it with npm start';

/** The data folder a tool works on: --data-dir, else $WAYMARK_DATA_DIR, else .data. */
export const dataDirOf = (flag: string | undefined): string => resolve(flag ?? process.env['WAYMARK_DATA_DIR'] ?? '.data');

/** Reads the running environment's description; undefined (with the reason) when there is none. */
export function readLocalTarget(dataDir: string): LocalTarget | { missing: string } {
  const file = join(dataDir, LOCAL_ENVIRONMENT_FILE);
  if (!existsSync(file)) return { missing: `${NOT_RUNNING} (no ${file}; or pass --data-dir)` };
  return { dataDir, ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<LocalTarget, 'dataDir'>) };
}

/** Whether DynamoDB answers at the endpoint (one quick request, no retries). */
export async function dynamoAnswers(endpoint: string): Promise<boolean> {
  useLocalCredentials();
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-2', maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** The running local environment, or exit 2 with "Waymark is not running…" (the tools' "could not check"). */
export async function requireRunningLocal(dataDir: string, tool: string): Promise<LocalTarget> {
  const target = readLocalTarget(dataDir);
  if ('missing' in target) {
    console.error(`${tool}: ${target.missing}`);
    process.exit(2);
  }
  if (!(await dynamoAnswers(target.dynamoEndpoint))) {
    console.error(`${tool}: ${NOT_RUNNING} (nothing answers at ${target.dynamoEndpoint}, where it last ran on ${dataDir})`);
    process.exit(2);
  }
  useLocalCredentials();
  return target;
}

/**
 * The case table a paging tool (retention:backfill, contacts:migrate-community) works on, and its page size: in AWS
 * the table named by CASE_TABLE_NAME, on one machine the running `npm start`'s. `--page-size` must be a whole number
 * of at least 1; otherwise `usage` says so (and exits).
 */
export async function caseTableTool(tool: string, flags: { dataDir: string | undefined; pageSize: string | undefined }, usage: (message: string) => never) {
  const pageSize = flags.pageSize === undefined ? undefined : Number(flags.pageSize);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) usage('--page-size must be a whole number of at least 1');
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  if (!process.env['CASE_TABLE_NAME']) {
    const local = await requireRunningLocal(dataDirOf(flags.dataDir), tool);
    Object.assign(process.env, { DYNAMODB_ENDPOINT: local.dynamoEndpoint, CASE_TABLE_NAME: local.tableNames.Case });
  }
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const endpoint = process.env['DYNAMODB_ENDPOINT'];
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env['AWS_REGION'] ?? 'eu-west-2', ...(endpoint ? { endpoint } : {}) }));
  return { client, tableName: process.env['CASE_TABLE_NAME'] as string, ...(pageSize !== undefined ? { pageSize } : {}) };
}
