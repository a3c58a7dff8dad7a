import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReconciliationSummary } from '../../functions/reconciler/handler';
import { findDemoUser } from '../../infra/local/demo-users';
import { startLocalEnvironment, type LocalEnvironment } from '../../infra/local/environment';
import { freePort } from '../../infra/local/ports';
import { tables } from '../../shared/store/tables';
import { reconcile } from '../../scripts/reports-rebuild';
import { WHOLE_HISTORY } from '../../shared/domain/reconciliation';
import { RUNNING_MARKER_FILE } from '../../infra/local/environment';
import { hateCrimeContact } from '../support/contacts';

/**
 * The durability test (docs/RELIABILITY.md, "Crashes"): 8 clients log
 * contacts with idempotency keys, retrying each until it is acknowledged;
 * DynamoDB Local (the process `npm start` supervises, on its data folder) is
 * killed (SIGKILL) mid-burst, several times, and restarted by the supervisor
 * on the same data. Then: acknowledged writes lost, duplicates after the
 * retries, and counter differences after one reconciliation (must be 0).
 * The second run does the same to the whole app: `npm start`'s process and
 * its DynamoDB Local, killed together (SIGKILL to the process group) and
 * started again on the same data folder, as a power cut would leave them.
 */
const KILLS = 4;
const CLIENTS = 8;
const PER_CLIENT = 12;
const APP_KILLS = 3;
const dataDir = mkdtempSync(join(tmpdir(), 'waymark-durability-'));
const appDataDir = mkdtempSync(join(tmpdir(), 'waymark-durability-app-'));
let env: LocalEnvironment | undefined;
let app: ChildProcess | undefined;
let appOutput = () => '';
/** Where the whole-app run is, for its failure message: its error alone (ECONNREFUSED…) does not say. */
let phase = 'starting';
let kills = 0;

afterAll(async () => {
  await env?.stop();
  // The whole app's process group (Node and its DynamoDB Local), should a failed run leave it.
  if (app?.pid !== undefined && app.exitCode === null) {
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(appDataDir, { recursive: true, force: true });
});

/** For each kill, how long before it the last acknowledgement was answered (ms): how close to the loss window the run came. */
const lastAcknowledgementBeforeKill = (acks: number[], kills: number[]) =>
  kills.map((k) => {
    const before = acks.filter((a) => a <= k);
    return before.length === 0 ? null : Math.round((k - Math.max(...before)) * 10) / 10;
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Resolves once `count()` reaches `n` (looked at every 5 ms). */
async function untilAcknowledged(count: () => number, n: number): Promise<void> {
  while (count() < n) await sleep(5);
}

describe('crashes without lasting damage', () => {
  it(`DynamoDB Local killed mid-burst ${KILLS} times: no acknowledged write lost, no duplicate, counters equal to the records after one reconciliation`, { timeout: 600_000 }, async () => {
    const said: string[] = [];
    let gaveUp = '';
    env = await startLocalEnvironment({
      dataDir,
      seed: true,
      // The kills here are deliberate and come faster than npm start's crash-loop limit (3 in 2 minutes) allows.
      superviseDynamoDb: { say: (line) => said.push(line), giveUp: (reason) => (gaveUp = reason), giveUpAfter: KILLS + 1 },
    });
    const champion = findDemoUser('champion-a1')!;
    const token = await env.idp.issueAccessToken(champion);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.dynamo.endpoint, region: 'eu-west-2' }));
    /** The champion's contacts in the case table (a scan, in the test only). */
    const contactsOfChampion = async () => {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: env!.tableNames.Case, ExclusiveStartKey: start, ConsistentRead: true }));
        out.push(...(page.Items ?? []).filter((i) => i['type'] === 'contact' && i['championSub'] === champion.sub));
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    };
    const before = (await contactsOfChampion()).length;
    const acknowledged = new Map<string, string>(); // idempotency key → contact id
    const ackTimes: number[] = [];
    const killTimes: number[] = [];
    const statuses = new Map<number, number>();

    /** One client: logs contacts, each retried with its key until it is acknowledged (as the web app does). */
    const client = async (n: number) => {
      for (let i = 0; i < PER_CLIENT; i += 1) {
        const key = randomUUID();
        const body = hateCrimeContact();
        for (let attempt = 0; attempt < 200; attempt += 1) {
          let status = 0;
          let id: string | undefined;
          try {
            const res = await fetch(`${env!.url}/contacts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
              body: JSON.stringify(body),
              signal: AbortSignal.timeout(20_000),
            });
            status = res.status;
            id = ((await res.json().catch(() => ({}))) as { id?: string }).id;
          } catch {
            status = -1;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if ((status === 201 || status === 200) && id) {
            acknowledged.set(key, id);
            ackTimes.push(performance.now());
            break;
          }
          expect([503, -1], `client ${n}: status ${status}`).toContain(status);
          await sleep(200);
        }
      }
    };

    // The bursts, with the database killed in the middle of each; the supervisor restarts it.
    const burst = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    for (let k = 0; k < KILLS; k += 1) {
      // Each kill lands right after the burst's next share of acknowledgements: mid-burst, close to a write just answered.
      await untilAcknowledged(() => acknowledged.size, Math.round(((k + 1) * CLIENTS * PER_CLIENT) / (KILLS + 1)));
      killTimes.push(performance.now());
      env.dynamo.process?.process.kill('SIGKILL');
      for (let i = 0; i < 300 && said.filter((l) => l.includes('running again')).length <= k; i += 1) await sleep(100);
    }
    await burst;
    expect(gaveUp).toBe('');
    expect(said.filter((l) => l.startsWith('DynamoDB Local stopped'))).toHaveLength(KILLS);
    expect(said.filter((l) => l.includes('running again'))).toHaveLength(KILLS);

    const stored = new Set((await contactsOfChampion()).map((c) => String(c['id'])));
    const lost = [...acknowledged.values()].filter((id) => !stored.has(id));
    // Each key was acknowledged once; any contact of the burst beyond one per acknowledged key is a duplicate.
    const duplicates = stored.size - before - (acknowledged.size - lost.length);

    // One reconciliation of every year (what npm start runs once DynamoDB Local is back), then the rebuild tool's
    // full check, without --repair.
    await env.drainStreams();
    const run = (await env.runScheduled('reconciler', { scope: WHOLE_HISTORY })) as ReconciliationSummary;
    const check = await reconcile(db, { caseTable: env.tableNames.Case, aggregatesTable: env.tableNames.Aggregates });
    db.destroy();
    await env.stop();
    env = undefined;

    const figures = {
      kills: KILLS,
      requests: [...statuses.values()].reduce((a, b) => a + b, 0),
      statuses: Object.fromEntries(statuses),
      acknowledged: acknowledged.size,
      acknowledgedLost: lost.length,
      lastAcknowledgementBeforeKillMs: lastAcknowledgementBeforeKill(ackTimes, killTimes),
      duplicates,
      repairedByReconciliation: run.repaired,
      differencesAfterReconciliation: check.differences.length,
    };
    console.log(`durability: ${JSON.stringify(figures)}`);
    expect(acknowledged.size).toBe(CLIENTS * PER_CLIENT);
    expect(check.differences).toEqual([]);
    expect(figures.duplicates).toBe(0);
    // Reported, not asserted to be 0: DynamoDB Local may lose a transaction acknowledged in the last
    // milliseconds before SIGKILL (docs/RELIABILITY.md, "The one-machine promise").
    expect(lost.length).toBeLessThanOrEqual(KILLS);
  });
});

const root = new URL('../../', import.meta.url).pathname;

/** `npm start`'s entry point in a process group of its own (with the DynamoDB Local it starts), resolved once it is ready. */
async function startApp(port: number): Promise<{ child: ChildProcess; exited: Promise<void>; dynamoEndpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), WAYMARK_DATA_DIR: appDataDir, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  app = child;
  let output = '';
  appOutput = () => output;
  let how = '';
  const exited = new Promise<void>((r) => child.on('exit', (code, signal) => ((how = `code ${code}, signal ${signal}`), r())));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Press Ctrl+C to stop')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`npm start exited (${how}, pid ${child.pid}, ${kills} kills so far):\n${output.slice(-2000)}`)));
    // A start that never gets ready is a failure to report, not a wait until the test's timeout.
    setTimeout(() => reject(new Error(`npm start was not ready after 4 minutes:\n${output.slice(-2000)}`)), 240_000).unref();
  });
  return { child, exited, dynamoEndpoint: /DynamoDB Local\s+(http:\/\/\S+)/.exec(output)![1]! };
}

/** The ids of a champion's contacts in the case table (a scan, in the test only). */
async function contactIdsOf(db: DynamoDBDocumentClient, table: string, championSub: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    ids.push(...(page.Items ?? []).filter((i) => i['type'] === 'contact' && i['championSub'] === championSub).map((i) => String(i['id'])));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Java processes serving DynamoDB Local on this app's data folder (none may outlive a kill of the whole app). */
const javaOnDataDir = () =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('DynamoDBLocal.jar') && l.includes(appDataDir));

describe('crashes without lasting damage: the whole app', () => {
  it(`npm start (Node and DynamoDB Local) killed mid-burst ${APP_KILLS} times and started again on its data: no duplicate, counters equal to the records after one reconciliation`, { timeout: 900_000 }, async ({ onTestFailed }) => {
    onTestFailed(() => console.log(`durability (whole app) failed during: ${phase}\n${appOutput().slice(-3000)}`));
    const port = await freePort();
    const url = `http://localhost:${port}`;
    let running = await startApp(port);
    const champion = findDemoUser('champion-a1')!;
    let token = '';
    /** A token from the app's development identity provider; fetched again after a restart (its signing key may be new). */
    const freshToken = async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const res = await fetch(`${url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'champion-a1' }) });
          token = ((await res.json()) as { access_token: string }).access_token;
          return;
        } catch (error) {
          if (attempt >= 20) throw new Error(`no token from the app at ${url} (${phase}): ${(error as Error).message}\n${appOutput().slice(-2000)}`);
          await sleep(500);
        }
      }
    };
    await freshToken();
    const caseTable = tables.find((t) => t.id === 'Case')!.localName;
    const first = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: running.dynamoEndpoint, region: 'eu-west-2' }));
    const before = (await contactIdsOf(first, caseTable, champion.sub)).length;
    first.destroy();
    const acknowledged = new Map<string, string>();
    const ackTimes: number[] = [];
    const killTimes: number[] = [];
    const statuses = new Map<number, number>();
    let down = false;

    const client = async (n: number) => {
      for (let i = 0; i < PER_CLIENT; i += 1) {
        const key = randomUUID();
        const body = hateCrimeContact();
        for (let attempt = 0; attempt < 2_000; attempt += 1) {
          let status = 0;
          let id: string | undefined;
          try {
            const res = await fetch(`${url}/contacts`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
              body: JSON.stringify(body),
              signal: AbortSignal.timeout(20_000),
            });
            status = res.status;
            id = ((await res.json().catch(() => ({}))) as { id?: string }).id;
          } catch {
            status = -1;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if ((status === 201 || status === 200) && id) {
            acknowledged.set(key, id);
            ackTimes.push(performance.now());
            break;
          }
          expect([503, 401, -1], `client ${n}: status ${status}`).toContain(status);
          if (status === 401 && !down) await freshToken().catch(() => undefined);
          await sleep(250);
        }
      }
    };

    const burst = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    let javaLeft = 0;
    for (let k = 0; k < APP_KILLS; k += 1) {
      const target = Math.round(((k + 1) * CLIENTS * PER_CLIENT) / (APP_KILLS + 1));
      // The app must not stop by itself meanwhile: that would be a failure, not a kill.
      const stoppedByItself = running.exited.then(() => {
        if (acknowledged.size < target) throw new Error(`npm start stopped by itself before kill ${k + 1}:\n${appOutput().slice(-3000)}`);
      });
      await Promise.race([untilAcknowledged(() => acknowledged.size, target), stoppedByItself]);
      down = true;
      phase = `kill ${k + 1}`;
      killTimes.push(performance.now());
      kills += 1;
      process.kill(-running.child.pid!, 'SIGKILL');
      await running.exited;
      // Java dies with its group; give the kernel a moment to reap it before looking.
      for (let i = 0; i < 50 && javaOnDataDir().length > 0; i += 1) await sleep(100);
      javaLeft += javaOnDataDir().length;
      phase = `restart ${k + 1}`;
      running = await startApp(port);
      await freshToken();
      down = false;
      phase = `burst after restart ${k + 1}`;
    }
    await burst;
    // The app left as a crash leaves it (killed once more, after the burst), then the same data opened in this process.
    process.kill(-running.child.pid!, 'SIGKILL');
    await running.exited;
    expect(existsSync(join(appDataDir, RUNNING_MARKER_FILE)), 'the unclean stop is noticed').toBe(true);

    phase = 'opening the data after the last kill';
    env = await startLocalEnvironment({ dataDir: appDataDir, seed: false });
    phase = 'checks on the data';
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: env.dynamo.endpoint, region: 'eu-west-2' }));
    const storedIds = new Set(await contactIdsOf(db, env.tableNames.Case, champion.sub));
    const lost = [...acknowledged.values()].filter((id) => !storedIds.has(id));
    // Each key was acknowledged once; any contact of the burst beyond one per acknowledged key is a duplicate.
    const duplicates = storedIds.size - before - (acknowledged.size - lost.length);
    await env.drainStreams();
    // The reconciliation npm start runs at start after an unclean stop: every year.
    const run = (await env.runScheduled('reconciler', { scope: WHOLE_HISTORY })) as ReconciliationSummary;
    const check = await reconcile(db, { caseTable: env.tableNames.Case, aggregatesTable: env.tableNames.Aggregates });
    db.destroy();

    const figures = {
      appKills: APP_KILLS,
      requests: [...statuses.values()].reduce((a, b) => a + b, 0),
      statuses: Object.fromEntries(statuses),
      acknowledged: acknowledged.size,
      acknowledgedLost: lost.length,
      lastAcknowledgementBeforeKillMs: lastAcknowledgementBeforeKill(ackTimes, killTimes),
      duplicates,
      javaLeftAfterKills: javaLeft,
      repairedByReconciliation: run.repaired,
      differencesAfterReconciliation: check.differences.length,
    };
    console.log(`durability (whole app): ${JSON.stringify(figures)}`);
    expect(acknowledged.size).toBe(CLIENTS * PER_CLIENT);
    expect(javaLeft).toBe(0);
    expect(check.differences).toEqual([]);
    expect(figures.duplicates).toBe(0);
    expect(lost.length).toBeLessThanOrEqual(APP_KILLS);
  });
});
