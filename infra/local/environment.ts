import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { join, resolve } from 'node:path';
import type { TokenSettings } from '../../shared/auth/access-token';
import { tables, type TableDefinition } from '../../shared/store/tables';
import { ensureTables } from './create-tables';
import { startDynamoDbLocal, useLocalCredentials, type RunningDynamoDb } from './dynamodb-local';
import { projectRoot, startGateway, type RunningGateway } from './gateway';
import { createIdentityProvider, LOCAL_ALGORITHM, type IdentityProvider } from './identity-provider';
import { freePort } from './ports';
import { seedDemoData } from './seed';

export interface LocalEnvironmentOptions {
  /** Where DynamoDB Local keeps its data and the identity provider its key. */
  dataDir: string;
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Keep DynamoDB Local's data in memory (tests). */
  inMemory?: boolean;
  port?: number;
  /** Prefix for table names, so several environments can share one DynamoDB Local. */
  tablePrefix?: string;
  seed?: boolean;
  accessLog?: (line: string) => void;
}

export interface LocalEnvironment {
  url: string;
  port: number;
  idp: IdentityProvider;
  gateway: RunningGateway;
  dynamo: { endpoint: string; process?: RunningDynamoDb };
  tableNames: Record<TableDefinition['id'], string>;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` runs, in one process: DynamoDB Local, the tables
 * from the shared definition, the configuration the functions read, the
 * development identity provider, demo data, and the gateway. Tests start the
 * same environment.
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  useLocalCredentials();
  const dataDir = resolve(options.dataDir);
  const dynamoProcess = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal(options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') });
  const endpoint = options.dynamoEndpoint ?? (dynamoProcess as RunningDynamoDb).endpoint;

  const prefix = options.tablePrefix ?? '';
  const tableNames = Object.fromEntries(tables.map((t) => [t.id, `${prefix}${t.localName}`])) as Record<TableDefinition['id'], string>;
  const admin = new DynamoDBClient({ endpoint, region: 'eu-west-2' });
  await ensureTables(admin, (t) => tableNames[t.id]);
  admin.destroy();

  const port = options.port ?? (await freePort());
  const issuer = `http://localhost:${port}/idp`;
  const idp = await createIdentityProvider({ issuer, keyDir: join(dataDir, 'idp') });
  const tokenSettings: TokenSettings = {
    issuer,
    audience: idp.clientId,
    jwksUrl: `http://127.0.0.1:${port}/idp/.well-known/jwks.json`,
    algorithms: [LOCAL_ALGORITHM],
  };

  // The functions' configuration: the same variables the CDK stack sets, with local values.
  for (const t of tables) process.env[t.envVar] = tableNames[t.id];
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: endpoint,
    JWT_ISSUER: tokenSettings.issuer,
    JWT_AUDIENCE: tokenSettings.audience,
    JWKS_URL: tokenSettings.jwksUrl,
    JWT_ALGORITHMS: LOCAL_ALGORITHM,
  });

  const gateway = await startGateway({
    idp,
    tokenSettings,
    port,
    webDir: join(projectRoot, 'web', 'public'),
    webOrigin: `http://localhost:${port}`,
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
  });
  if (options.seed ?? true) await seedDemoData();

  return {
    url: gateway.url,
    port: gateway.port,
    idp,
    gateway,
    dynamo: { endpoint, ...(dynamoProcess ? { process: dynamoProcess } : {}) },
    tableNames,
    async stop() {
      await gateway.close();
      await dynamoProcess?.stop();
    },
  };
}
