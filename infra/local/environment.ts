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
import { streamConsumers } from '../../shared/api/stream-consumers';
import { loadHandler } from './gateway';
import { startStreamPoller, type StreamHandler, type StreamPoller } from './stream-poller';
import { startTtlSweeper, TtlDeletions, type TtlSweeper } from './ttl-sweeper';

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
  /** How often expired items are swept (as DynamoDB's TTL process would); 0 = only when asked (tests). */
  ttlSweepIntervalMs?: number;
  /** Reports background failures (stream delivery, TTL sweeps). */
  onBackgroundError?: (error: unknown) => void;
}

export interface LocalEnvironment {
  url: string;
  port: number;
  idp: IdentityProvider;
  gateway: RunningGateway;
  dynamo: { endpoint: string; process?: RunningDynamoDb };
  tableNames: Record<TableDefinition['id'], string>;
  /** Deletes every expired item now, as TTL would; returns how many. */
  sweepExpired(): Promise<number>;
  /** Waits until every stream consumer has handled every change so far. */
  drainStreams(): Promise<void>;
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

  // DynamoDB's TTL process and Lambda's stream event source mappings, emulated.
  const ttlDeletions = new TtlDeletions();
  const sweepers: TtlSweeper[] = tables.map((t) =>
    startTtlSweeper({
      endpoint,
      tableName: tableNames[t.id],
      ttlAttribute: t.timeToLiveAttribute,
      keyAttributes: [t.partitionKey.name, t.sortKey.name],
      deletions: ttlDeletions,
      intervalMs: options.ttlSweepIntervalMs ?? 0,
      ...(options.onBackgroundError ? { onError: options.onBackgroundError } : {}),
    }),
  );
  const pollers: StreamPoller[] = streamConsumers.map((consumer) =>
    startStreamPoller({
      endpoint,
      tableName: tableNames[consumer.source],
      consumer: consumer.id,
      loadHandler: () => loadHandler(consumer.id) as unknown as Promise<StreamHandler>,
      batchSize: consumer.batchSize,
      maxAttempts: consumer.retryAttempts + 1,
      checkpointFile: join(dataDir, 'streams', `${prefix}${consumer.id}.checkpoint.json`),
      deadLetterFile: join(dataDir, 'dead-letters', `${prefix}${consumer.id}.jsonl`),
      ttlDeletions,
      ...(options.onBackgroundError ? { onError: options.onBackgroundError } : {}),
    }),
  );

  return {
    url: gateway.url,
    port: gateway.port,
    idp,
    gateway,
    dynamo: { endpoint, ...(dynamoProcess ? { process: dynamoProcess } : {}) },
    tableNames,
    async sweepExpired() {
      let total = 0;
      for (const sweeper of sweepers) total += await sweeper.sweep();
      return total;
    },
    async drainStreams() {
      for (const poller of pollers) await poller.drain();
    },
    async stop() {
      await gateway.close();
      for (const poller of pollers) await poller.stop();
      for (const sweeper of sweepers) sweeper.stop();
      await dynamoProcess?.stop();
    },
  };
}
