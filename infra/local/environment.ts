import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TokenSettings } from '../../shared/auth/access-token';
import { WHOLE_HISTORY } from '../../shared/domain/reconciliation';
import { tables, type TableDefinition } from '../../shared/store/tables';
import { ensureTables } from './create-tables';
import { startDynamoDbLocal, useLocalCredentials, type RunningDynamoDb } from './dynamodb-local';
import { startGateway, webBuildDir, type RunningGateway } from './gateway';
import { createIdentityProvider, LOCAL_ALGORITHM, type IdentityProvider } from './identity-provider';
import { freePort } from './ports';
import { seedDemoData } from './seed';
import { writeDemoAccounts } from './sign-in-accounts';
import { onOutboxNotification } from '../../shared/store/notifier';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';
import { loadHandler } from './gateway';
import { bundleFunctions } from './function-modules';
import { asFunction, enforceGrants } from './grants';
import { getDocumentClient } from '../../shared/store/client';
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
  /**
   * With the demo data, fifteen months of support sessions and contacts behind the three headline figures (default
   * true: what `npm start` shows a newcomer). Test environments leave it out unless a test asks for it, so their
   * counts start from the few demo records.
   */
  demoHistory?: boolean;
  accessLog?: (line: string) => void;
  /** How often expired items are swept (as DynamoDB's TTL process would); 0 = only when asked (tests). */
  ttlSweepIntervalMs?: number;
  /** Reports background failures (stream delivery, TTL sweeps). */
  onBackgroundError?: (error: unknown) => void;
  /** Run scheduled consumers (the audit sealer) on their schedule; false = only when asked (tests). */
  runSchedules?: boolean;
  /**
   * Watch the DynamoDB Local this environment started: when its process exits unexpectedly, say so
   * (`say`, one plain line) and restart it on the same data and port; if it keeps exiting (3 times in
   * 2 minutes, or `giveUpAfter` times) or cannot be restarted, call `giveUp` with the reason (npm start then
   * stops everything). A test that kills it on purpose raises `giveUpAfter`: its kills are not a crash loop.
   */
  superviseDynamoDb?: { say: (line: string) => void; giveUp: (reason: string) => void; giveUpAfter?: number };
  /** Told what each scheduled run returned (the reconciliation's summary: years, counts, repairs). */
  scheduleLog?: (id: string, result: unknown) => void;
  /** Told of each escalation notification written to the outbox (the line carries no case field). */
  notificationLog?: (line: string) => void;
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
  /**
   * Holds back stream delivery until `resumeStreams` (`drainStreams` still delivers everything so far), e.g. so that a benchmark times
   * a request without the consumers' work sharing the machine; in AWS those run in their own functions.
   */
  pauseStreams(): Promise<void>;
  resumeStreams(): void;
  /** Invokes every scheduled function and scheduled consumer once now, as its EventBridge rule would. */
  runSchedules(): Promise<void>;
  /** Invokes one scheduled function (or scheduled consumer) now, `detail` in its event; resolves to what its handler returned. */
  runScheduled(id: string, detail?: Record<string, unknown>): Promise<unknown>;
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
  const dynamoOptions = options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') };
  let dynamoProcess = options.dynamoEndpoint ? undefined : await startDynamoDbLocal(dynamoOptions);
  const endpoint = options.dynamoEndpoint ?? (dynamoProcess as RunningDynamoDb).endpoint;
  let stopped = false;
  let afterRestart = () => {};
  const exits: number[] = [];
  const supervise = (running: RunningDynamoDb) => {
    const watch = options.superviseDynamoDb;
    if (!watch) return;
    void running.unexpectedExit.then(async (exit) => {
      if (stopped) return;
      const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
      exits.push(Date.now());
      const recent = exits.filter((t) => Date.now() - t < 120_000).length;
      if (recent >= (watch.giveUpAfter ?? 3)) return watch.giveUp(`DynamoDB Local stopped ${recent} times in 2 minutes (last: ${how}); its last words:\n${exit.output.trim().split('\n').slice(-5).join('\n')}`);
      watch.say(`DynamoDB Local stopped (${how}); restarting it on the same data${options.inMemory ? '' : ` (${join(dataDir, 'dynamodb')})`}. Requests answer 503 until it is back.`);
      try {
        dynamoProcess = await startDynamoDbLocal({ ...dynamoOptions, port: running.port });
        watch.say(`DynamoDB Local is running again on ${dynamoProcess.endpoint}; stream delivery resumes where it stopped.`);
        supervise(dynamoProcess);
        // It may have lost counter updates it acknowledged just before it died: recount every year, as after an unclean stop.
        if (options.runSchedules) afterRestart();
      } catch (error) {
        watch.giveUp(`DynamoDB Local could not be restarted: ${(error as Error).message}`);
      }
    });
  };
  if (dynamoProcess) supervise(dynamoProcess);

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
  const auditDigestDir = join(dataDir, 'audit-digests');
  // The development identity provider's accounts, as the sign-in directory (Cognito's user pool in AWS).
  const signInDirectoryFile = join(dataDir, 'idp', `${prefix}accounts.json`);
  writeDemoAccounts(signInDirectoryFile);
  Object.assign(process.env, {
    CURSOR_KEY_FILE: cursorKeyFile(dataDir),
    SIGN_IN_DIRECTORY_FILE: signInDirectoryFile,
    DYNAMODB_ENDPOINT: endpoint,
    AUDIT_DIGEST_DIR: auditDigestDir,
    JWT_ISSUER: tokenSettings.issuer,
    JWT_AUDIENCE: tokenSettings.audience,
    JWKS_URL: tokenSettings.jwksUrl,
    JWT_ALGORITHMS: LOCAL_ALGORITHM,
    // The API requires the origin header CloudFront adds in AWS; the gateway adds it here (a fresh value per start).
    ORIGIN_VERIFY_SECRET: process.env.ORIGIN_VERIFY_SECRET || randomBytes(24).toString('base64url'),
  });

  // IAM, emulated: each function's DynamoDB calls are held to the grants its role has in AWS.
  enforceGrants(getDocumentClient());
  // Each function in its own module graph: bundled as the stack bundles it for Lambda (cached while its sources are unchanged).
  await bundleFunctions();
  const gateway = await startGateway({
    idp,
    tokenSettings,
    port,
    webDir: webBuildDir,
    webOrigin: `http://localhost:${port}`,
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
    originVerifyValue: process.env.ORIGIN_VERIFY_SECRET as string,
  });
  // Notifications go to the outbox on one machine (no NOTIFICATION_TOPIC_ARN); say so as each is written.
  onOutboxNotification(options.notificationLog ? (n, line) => options.notificationLog?.(`${n.teamId}: ${line}`) : undefined);
  if (options.seed ?? true) await seedDemoData(new Date(), { history: options.demoHistory ?? true });

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
      loadHandler: async () => {
        const handler = (await loadHandler(consumer.id)) as unknown as StreamHandler;
        return ((event, ...rest) => asFunction(consumer.id, () => handler(event, ...rest))) as StreamHandler;
      },
      batchSize: consumer.batchSize,
      maxAttempts: consumer.retryAttempts + 1,
      checkpointFile: join(dataDir, 'streams', `${prefix}${consumer.id}.checkpoint.json`),
      deadLetterFile: join(dataDir, 'dead-letters', `${prefix}${consumer.id}.jsonl`),
      ttlDeletions,
      ...(options.onBackgroundError ? { onError: options.onBackgroundError } : {}),
    }),
  );

  // Where this environment's data is, for `npm run audit:verify` (scripts/audit-verify.ts).
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, LOCAL_ENVIRONMENT_FILE),
    `${JSON.stringify({ dynamoEndpoint: endpoint, tableNames, auditDigestDir, url: gateway.url }, null, 2)}\n`,
  );

  // EventBridge schedules, emulated: stream consumers' schedules and the scheduled functions, the same handler given a Scheduled Event.
  const scheduled = [
    ...streamConsumers.filter((c) => c.scheduleMinutes !== undefined).map((c) => ({ id: c.id, everyMs: (c.scheduleMinutes as number) * 60_000 })),
    ...scheduledFunctions.map((f) => ({ id: f.id, everyMs: f.scheduleHours * 3_600_000 })),
  ];
  const invoke = async (id: string, detail: Record<string, unknown> = {}): Promise<unknown> => {
    // A scheduled function (the reconciliation) reads the case records and sets the counters to what they add up
    // to: records still in the streams, not yet counted, would be counted again when the aggregator reaches them
    // (a first start's seed, 4,800 figures doubled). It runs once the streams are drained, as in AWS it runs
    // when the aggregator has long caught up.
    if (scheduledFunctions.some((f) => f.id === id)) for (const poller of pollers) await poller.drain();
    const handler = (await loadHandler(id)) as unknown as (event: unknown) => Promise<unknown>;
    const result = await asFunction(id, () => handler({ ...scheduledEvent(new Date()), detail }));
    options.scheduleLog?.(id, result);
    return result;
  };
  const runSchedules = async () => {
    for (const { id } of scheduled) await invoke(id);
  };
  const background = (id: string, detail?: Record<string, unknown>) => void invoke(id, detail).catch((error: unknown) => options.onBackgroundError?.(error));
  const timers = options.runSchedules ? scheduled.map(({ id, everyMs }) => setInterval(() => background(id), everyMs)) : [];
  // A marker that lives while the environment runs: found at start, the last run did not stop cleanly (killed, power cut).
  const runningMarker = join(dataDir, RUNNING_MARKER_FILE);
  const uncleanStop = existsSync(runningMarker);
  writeFileSync(runningMarker, `${process.pid}\n`);
  // On one machine the scheduled functions also run once at start: a laptop is rarely up when the daily run falls due.
  // After an unclean stop the reconciliation covers every year: DynamoDB Local may have lost counter updates it had
  // acknowledged in its last milliseconds (docs/RELIABILITY.md, "The one-machine promise"), in any year being counted.
  if (options.runSchedules) for (const f of scheduledFunctions) background(f.id, f.id === 'reconciler' && uncleanStop ? { scope: WHOLE_HISTORY } : undefined);
  afterRestart = () => background('reconciler', { scope: WHOLE_HISTORY });

  return {
    url: gateway.url,
    port: gateway.port,
    idp,
    gateway,
    dynamo: {
      endpoint,
      get process() {
        return dynamoProcess;
      },
    },
    tableNames,
    async sweepExpired() {
      let total = 0;
      for (const sweeper of sweepers) total += await sweeper.sweep();
      return total;
    },
    async drainStreams() {
      for (const poller of pollers) await poller.drain();
    },
    async pauseStreams() {
      await Promise.all(pollers.map((poller) => poller.pause()));
    },
    resumeStreams() {
      for (const poller of pollers) poller.resume();
    },
    runSchedules,
    runScheduled: invoke,
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await gateway.close();
      for (const poller of pollers) await poller.stop();
      for (const sweeper of sweepers) sweeper.stop();
      await dynamoProcess?.stop();
      rmSync(runningMarker, { force: true });
    },
  };
}

/**
 * The secret page links are sealed with on one machine (in AWS: the stack's Secrets Manager secret): 32 random
 * bytes, made on first start and kept, readable by this user only, so that links stay valid across restarts.
 */
function cursorKeyFile(dataDir: string): string {
  const file = join(dataDir, 'cursor-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  }
  return file;
}

/** The file in the data folder that exists while an environment runs on it (removed by a clean stop). */
export const RUNNING_MARKER_FILE = 'running';

/** The file in the data folder that says where a running local environment keeps its data. */
export const LOCAL_ENVIRONMENT_FILE = 'local-environment.json';

/** The event an EventBridge schedule hands a function. */
function scheduledEvent(at: Date) {
  return {
    version: '0',
    id: `local-${at.getTime()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-2',
    resources: [],
    detail: {},
  };
}
