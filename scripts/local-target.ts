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
