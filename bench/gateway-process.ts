/**
 * The gateway under test for bench/throughput.ts, in a process of its own (so its memory is its own and the load
 * client does not share its event loop): the local environment (gateway, stream pollers running the aggregator)
 * on a running DynamoDB Local, plus `champions` champions with current DASV training to log contacts as, and their tokens.
 *
 * Configured by BENCH_TP_CONFIG (JSON: dynamoEndpoint, tablePrefix, champions). Speaks JSON lines: it writes
 * `@@bench {...}` lines on stdout (first the ready line) and reads commands on stdin (`{"id","cmd"}`):
 * drain (every stream consumer has handled every change), record-start / record-stop (the API's own DynamoDB
 * operations, in order, with times, meanwhile), floor (`n`, `ms`, `plan`: replay them, the throughput floor), stats.
 * Stops on SIGTERM or when stdin closes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import type { CpuProfile } from './cold-profile';
import { summariseProfile } from './cpu-profile-summary';
import { findDemoUser, type DemoUser } from '../infra/local/demo-users';
import { startLocalEnvironment } from '../infra/local/environment';
import { addSignInAccount } from '../infra/local/sign-in-accounts';
import { addMonths, todayUtc } from '../shared/domain/dates';
import { isHttpError } from '../shared/domain/errors';
import type { RequestScope } from '../shared/store/audit';
import { createChampion, getChampionByIdentity } from '../shared/store/champion-store';
import { getDocumentClient } from '../shared/store/client';
import { getCourse } from '../shared/store/course-store';
import { recordCompletion } from '../shared/store/training-store';
import { replay } from './replay-plan';
import { commandFor, fresh, workers, type Op } from './throughput';

const config = JSON.parse(process.env['BENCH_TP_CONFIG'] ?? '{}') as { dynamoEndpoint: string; tablePrefix: string; champions: number };
const say = (o: unknown) => process.stdout.write(`@@bench ${JSON.stringify(o)}\n`);
const dataDir = mkdtempSync(join(os.tmpdir(), 'waymark-bench-tp-'));
let backgroundErrors = 0;
const env = await startLocalEnvironment({
  dataDir, dynamoEndpoint: config.dynamoEndpoint, tablePrefix: config.tablePrefix, seed: true,
  onBackgroundError: (e) => { backgroundErrors++; if (backgroundErrors <= 5) console.error('[gateway-process background]', e); },
});

// Champions to log contacts as: half in each demo team, each with a current DASV course (as the seed makes them).
const scope = (username: string): RequestScope => {
  const u = findDemoUser(username)!;
  return { principal: { sub: u.sub, role: u.role, username: u.username, team: u.team! }, requestId: 'bench' };
};
const now = new Date();
const course = (await getCourse('course-dasv-ambassador'))!;
const champions: { sub: string; token: string }[] = [];
for (let i = 0; i < config.champions; i++) {
  const team = i % 2 === 0 ? 'team-a' : 'team-b';
  const user: DemoUser = { username: `bench-champion-${i}`, sub: `bench-tp-champion-${i}`, role: 'champion', team, displayName: `Bench Champion ${i}` };
  // The champion's sign-in account, in the identity provider's directory: every request checks it there.
  addSignInAccount(process.env['SIGN_IN_DIRECTORY_FILE'] as string, { sub: user.sub, groups: ['champion'], team, enabled: true });
  if (!(await getChampionByIdentity(user.sub))) {
    try {
      const supervisor = scope(team === 'team-a' ? 'supervisor-a' : 'supervisor-b');
      const champion = await createChampion(supervisor, `champion-bench-${i}`, team, { displayName: user.displayName, organisationId: 'org-demo-central-mosque', strands: ['dasv'], languages: ['English'], identity: user.sub }, now);
      await recordCompletion(supervisor, champion, course, { courseId: course.id, completedOn: addMonths(todayUtc(now), -3), deliveredBy: 'bench' }, now);
    } catch (e) {
      if (!(isHttpError(e) && e.status === 409)) throw e;
    }
  }
  champions.push({ sub: user.sub, token: await env.idp.issueAccessToken(user) });
}
await env.drainStreams();

// The API's own operations (the aggregator's, on the Aggregates table, left out), recorded when asked.
const sdkRetries = { api: 0, aggregator: 0 }; // SDK retries (attempts beyond the first) of the API's and the aggregator's operations
let recording: { command: string; input: unknown; t0: number; t1: number }[] | null = null;
// The aggregator's operations during the capacity drain, when asked: count and milliseconds waited, by command.
let aggregatorOps: Map<string, { n: number; ms: number }> | null = null;
getDocumentClient().middlewareStack.add(
  (next, context) => async (args) => {
    const t0 = performance.now();
    const out = await next(args);
    const retries = ((out.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) - 1;
    if (retries > 0 || recording || aggregatorOps) { // (so that the common case costs nothing)
      const text = JSON.stringify(args.input);
      const aggregator = text.includes(env.tableNames.Aggregates);
      if (aggregator) sdkRetries.aggregator += retries; else sdkRetries.api += retries;
      if (recording && !aggregator) recording.push({ command: String(context.commandName), input: JSON.parse(text) as unknown, t0, t1: performance.now() });
      if (aggregatorOps && aggregator) {
        const name = String(context.commandName);
        const op = aggregatorOps.get(name) ?? aggregatorOps.set(name, { n: 0, ms: 0 }).get(name)!;
        op.n += 1;
        op.ms += performance.now() - t0;
      }
    }
    return out;
  },
  { step: 'initialize', name: 'bench-record' },
);

say({ ready: true, url: env.url, pid: process.pid, tableNames: env.tableNames, champions });

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const { id, cmd, ...args } = JSON.parse(line) as { id: number; cmd: string; n?: number; ms?: number; plan?: { ops: Op[]; after: number[][] } };
  const reply = (o: Record<string, unknown>) => say({ id, ...o });
  const failed = (e: unknown) => reply({ error: String(e) });
  if (cmd === 'drain') env.drainStreams().then(() => reply({ drained: true }), failed);
  else if (cmd === 'floor') floor(args.n!, args.ms!, args.plan!).then(reply, failed);
  // Stream delivery is held back meanwhile, so that only the request's own operations are recorded.
  else if (cmd === 'record-start') env.pauseStreams().then(() => { recording = []; reply({}); }, failed);
  else if (cmd === 'record-stop') { reply({ operations: recording ?? [] }); recording = null; env.resumeStreams(); }
  else if (cmd === 'stats') reply({ backgroundErrors, sdkRetries });
  // The aggregator's capacity: delivery held back during a load, then released as one backlog.
  else if (cmd === 'pause') env.pauseStreams().then(() => reply({}), failed);
  else if (cmd === 'resume') { env.resumeStreams(); reply({}); }
  // Where the drain's time goes: this process's CPU profile and the aggregator's operations, from start to stop.
  else if (cmd === 'profile-start') startProfile().then(() => { aggregatorOps = new Map(); reply({}); }, failed);
  else if (cmd === 'profile-stop') stopProfile().then((profile) => { reply({ profile, aggregatorOps: Object.fromEntries(aggregatorOps ?? []) }); aggregatorOps = null; }, failed);
  else reply({ error: `unknown command ${cmd}` });
});

const session = new Session();
async function startProfile() {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
/** The profile since `startProfile`, summed: milliseconds idle, in GC, and the functions with the most self time. */
async function stopProfile() {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return summariseProfile(profile as CpuProfile);
}

/**
 * The throughput floor: n workers replaying recorded operations (as the route issued them: bench/replay-plan.ts) for ms,
 * from this process and with the API's own SDK client, each time with fresh keys on the items written.
 */
async function floor(n: number, ms: number, plan: { ops: Op[]; after: number[][] }) {
  let failures = 0;
  let retries = 0;
  const t = performance.now();
  const latencies = await workers(n, ms, async () => {
    const t0 = performance.now();
    const tag = `bench-floor-${randomUUID()}`;
    try {
      await replay(plan, async (op) => { retries += ((await getDocumentClient().send(new (commandFor(op.command))(fresh(op, tag)))).$metadata.attempts ?? 1) - 1; });
    } catch { failures++; }
    return performance.now() - t0;
  });
  return { latencies, seconds: (performance.now() - t) / 1000, failures, retries };
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  rl.close();
  await env.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
