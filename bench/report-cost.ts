/**
 * Benchmark 4 of issue 9: what a 12-month metrics report costs as contacts grow (10k, 100k, 1M; quick: 1k, 10k),
 * beside the naive alternative measured in the same run: the same figures computed by scanning the case table.
 *
 * It runs in a child process of its own (reportCostBenchmark spawns this file with --child): a local environment
 * keeps its configuration and handler modules per process, so a second one beside bench/run.ts's would read the
 * other's tables. Standalone: `npx tsx bench/report-cost.ts [--quick]` starts an in-memory DynamoDB Local, runs it and
 * prints the markdown and the JSON. REPORT_COST_SIZES=1000,5000 overrides the sizes (development only).
 */
import { DeleteTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { demoChampions } from '../infra/local/demo-champions';
import { demoUsers, findDemoUser } from '../infra/local/demo-users';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { startLocalEnvironment } from '../infra/local/environment';
import { reconcile } from '../scripts/reports-rebuild';
import { checkSymbol, CROCKFORD_ALPHABET } from '../shared/domain/contact-reference';
import { contactConsistency, type Contact } from '../shared/domain/contacts';
import { addDays, addMonths, daysBetween, todayUtc } from '../shared/domain/dates';
import { ALL, contributions, distinctCounters, parseCellKey, sumContributions } from '../shared/domain/metrics';
import type { Strand } from '../shared/domain/strands';
import { ageBands, dasvForms, genders, hateIncidentKinds, hateMotivations, priorHelp, riskFlags, settings } from '../shared/domain/taxonomies';
import { contactItem, retentionExpiry } from '../shared/store/contact-store';
import { keys } from '../shared/store/keys';
import { benchLog, r1, r2, summary } from './stats';

type Stats = ReturnType<typeof summary>;
export interface ReportCostSize {
  contacts: number;
  seed: { added: number; seconds: number; perSecond: number; counterUpdates: number; counterSeconds: number };
  report: Stats;
  reportOverSmallest: number;
  /** GET /reports/definitions twice, alternated with the report runs: the same function, gateway and token check, no counters read. */
  floor: Stats;
  reportOverFloor: number;
  scan: Stats & { segments: number };
  scanOverReport: number;
  /** Figures of the report (contacts, earlier help, distinct references; by strand and by team, per month) equal to the scan's. */
  figuresMatched: number;
  figuresSuppressed: number;
}
export interface ReportCostResults {
  mode: 'quick' | 'full';
  months: { from: string; to: string };
  requests: string[];
  demoContacts: number;
  seedConcurrency: number;
  rebuildCheck: { contacts: number; sourceRecords: number; counterDifferences: number; referenceCountDifferences: number };
  sizes: ReportCostSize[];
  budget: { smallest: number; largest: number; ratio: number; overFloorRatio: number; limit: number; met: boolean };
  backgroundErrors: string[];
  durationSeconds: number;
}

const MARK = '@report-cost ';
const PREFIX = 'bench-rc-';
const SEED_CONCURRENCY = 16;
const GROUP = 2_000;
const BUDGET = 1.5;
const WARMUP = process.argv.includes('--quick') ? 2 : 10; // the smoke run (--quick, passed on to the child) warms up less: a 12-month report takes seconds
const root = fileURLToPath(new URL('..', import.meta.url));
const fmt = (n: number) => n.toLocaleString('en-GB');
const sizeLabel = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

/** Runs the benchmark in a child process against `dynamoEndpoint`; its progress goes to `log`. */
export async function reportCostBenchmark(opts: { quick: boolean; dynamoEndpoint: string; log: (...a: unknown[]) => void }): Promise<ReportCostResults> {
  const dir = mkdtempSync(join(os.tmpdir(), 'waymark-bench-rc-'));
  const out = join(dir, 'results.json');
  try {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--endpoint', opts.dynamoEndpoint, '--data-dir', dir, '--out', out, ...(opts.quick ? ['--quick'] : [])];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' } });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => (line.startsWith(MARK) ? opts.log(line.slice(MARK.length)) : tail.push(line) > 40 && tail.shift()));
    }
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`report-cost benchmark failed (exit ${code}):\n${tail.join('\n')}`);
    return JSON.parse(readFileSync(out, 'utf8')) as ReportCostResults;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- seeded contacts ----------
/** A deterministic pseudo-random source (mulberry32), so every run seeds the same mix. */
function prng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[], skew = 1): T => list[Math.floor(list.length * next() ** skew)] as T;
  const some = <T>(list: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(list, 2)))];
  return { next, pick, some };
}
const COMMUNITIES = ['Somali', 'Pakistani', 'Polish', 'Bangladeshi', 'Nigerian', 'Eritrean', 'Indian', 'Chinese', 'Kurdish', 'Romanian'];
/** Unique, well-formed references (`WM-XXXX-XX` with the product's check symbol), person n → an odd multiple mod 32^5. */
function referenceOf(n: number): string {
  let x = (n * 2_654_435 + 1_013_904) % 32 ** 5;
  let body = '';
  for (let i = 0; i < 5; i++, x = Math.floor(x / 32)) body += CROCKFORD_ALPHABET[x % 32];
  return `WM-${body.slice(0, 4)}-${body[4]}${checkSymbol(body)}`;
}
/** Contacts of people (1 to 3 contacts each, linked by their reference), in groups; yields them 25 at a time. */
function* contactBatches(count: number, range: { first: string; days: number }, state: { person: number; taken: Set<string>; deltas: Map<string, number> }) {
  const rnd = prng(0x5eed + state.person);
  const champions = demoChampions.filter((c) => !c.suspended).map((c) => ({ ...c, sub: c.username ? findDemoUser(c.username)!.sub : c.identity! }));
  const supervisorOf = (team: string) => demoUsers.find((u) => u.role === 'supervisor' && u.team === team)!.sub;
  for (let made = 0; made < count; ) {
    const group: Record<string, unknown>[] = [];
    while (group.length < Math.min(GROUP, count - made)) {
      let reference = referenceOf(state.person++);
      while (state.taken.has(reference)) reference = referenceOf(state.person++);
      const ch = rnd.pick(champions);
      const both = ch.strands.length > 1 ? rnd.next() : 0;
      const strands: Strand[] = ch.strands.length === 1 ? [...ch.strands] : both < 0.55 ? ['dasv'] : both < 0.9 ? ['hate_crime'] : ['dasv', 'hate_crime'];
      const community = rnd.next() < 0.6 ? rnd.pick(COMMUNITIES, 1.5) : undefined;
      const visits = rnd.next() < 0.78 ? 1 : rnd.next() < 0.75 ? 2 : 3;
      const dates = Array.from({ length: visits }, () => addDays(range.first, Math.floor(rnd.next() * range.days))).sort();
      for (const [i, contactDate] of dates.entries()) {
        if (group.length >= Math.min(GROUP, count - made)) break;
        const created = Math.min(Date.parse(`${contactDate}T08:00:00Z`) + Math.floor(rnd.next() * 12 * 3_600_000), Date.now());
        const createdAt = new Date(created).toISOString();
        const help: Contact['priorHelp'] = rnd.next() < 0.35 ? ['none'] : rnd.some(priorHelp.values.filter((v) => v !== 'none'), 2);
        const language = rnd.next() < 0.7 ? rnd.pick(ch.languages) : undefined;
        const c: Contact = {
          id: `contact-${ulid(created).toLowerCase()}`, teamId: ch.teamId, championId: ch.id, championSub: ch.sub, contactDate,
          setting: rnd.pick(settings.values, 1.5), strands,
          dasvForms: strands.includes('dasv') ? rnd.some(dasvForms.values, 3) : [],
          hateMotivations: strands.includes('hate_crime') ? rnd.some(hateMotivations.values, 1) : [],
          hateIncidentKinds: strands.includes('hate_crime') ? rnd.some(hateIncidentKinds.values, 2) : [],
          demographics: {
            ...(rnd.next() < 0.9 ? { ageBand: rnd.pick(ageBands.values) } : {}), ...(rnd.next() < 0.85 ? { gender: rnd.pick(genders.values, 2) } : {}),
            ...(community ? { community } : {}), ...(language ? { language, interpreterNeeded: language !== 'English' && rnd.next() < 0.3 } : {}),
          },
          priorHelp: help, beforePoliceOrEmergency: !help.includes('police_or_999') && rnd.next() < 0.75,
          riskFlags: riskFlags.values.filter(() => rnd.next() < 0.15),
          contactReference: reference, repeatContact: i > 0, hasEscalation: false, status: 'active',
          createdAt, createdBy: ch.sub, updatedAt: createdAt, version: 1, expiresAt: retentionExpiry(new Date(created)),
        };
        if (rnd.next() < 0.01) Object.assign(c, { status: 'deleted', deletedReason: 'Logged twice by mistake', deletedBy: supervisorOf(ch.teamId), deletedAt: createdAt, version: 2 });
        const problems = contactConsistency(c);
        if (problems.length > 0) throw new Error(`seeded contact is inconsistent: ${JSON.stringify(problems)}`);
        group.push(contactItem(c));
      }
    }
    made += group.length;
    // The rebuild tool's arithmetic: what each record contributes, summed; distinct references from the reference counts
    // (people never span groups, so the distinct figures of groups add up).
    const sum = sumContributions(group.map((item) => contributions(item)));
    for (const source of [sum.counters, distinctCounters(sum.references)]) for (const [k, n] of source) state.deltas.set(k, (state.deltas.get(k) ?? 0) + n);
    for (let i = 0; i < group.length; i += 25) yield group.slice(i, i + 25);
  }
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: Iterable<T>, n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const it = items[Symbol.iterator]();
  await Promise.all(Array.from({ length: n }, async () => {
    for (let next = it.next(); !next.done; next = it.next()) await fn(next.value);
  }));
}

// ---------- the naive alternative: a scan ----------
type Tally = Map<string, number | Set<string>>; // `${metric}|${period}|${dim}|${value}`
async function scanFigures(doc: DynamoDBDocumentClient, table: string, from: string, to: string, segments: number): Promise<Tally> {
  const tally: Tally = new Map();
  const bump = (k: string) => tally.set(k, ((tally.get(k) as number | undefined) ?? 0) + 1);
  await pool(Array.from({ length: segments }, (_, i) => i), Math.min(segments, 24), async (segment) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({
        TableName: table, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start,
        FilterExpression: '#type = :contact AND #status = :active AND contactDate BETWEEN :from AND :to',
        ProjectionExpression: 'strands, teamId, contactDate, beforePoliceOrEmergency, contactReference',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: { ':contact': 'contact', ':active': 'active', ':from': `${from}-01`, ':to': `${to}-31` },
      }));
      for (const c of page.Items ?? []) {
        const month = String(c['contactDate']).slice(0, 7);
        for (const [dim, value] of [['all', ALL], ['team', c['teamId']], ...(c['strands'] as string[]).map((s) => ['strand', s])]) {
          bump(`contacts|${month}|${dim}|${value}`);
          if (c['beforePoliceOrEmergency'] === true) bump(`earlier_help_contacts|${month}|${dim}|${value}`);
          const k = `contact_references|${month}|${dim}|${value}`;
          const refs = (tally.get(k) as Set<string> | undefined) ?? new Set<string>();
          tally.set(k, refs.add(String(c['contactReference'])));
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
  });
  return tally;
}

interface ReportJson {
  disclosure: { threshold: number; roundingBase: number };
  metrics: { id: string; periods: { period: string; rows: { value: string; cells: { count?: unknown } }[]; total?: { value: string; cells: { count?: unknown } } }[] }[];
}
/** Every figure of the contact metrics in the report against the scan's: equal, or suppressed (never different). */
function compareFigures(report: ReportJson, breakdown: string, tally: Tally) {
  let matched = 0;
  let suppressed = 0;
  const wrong: string[] = [];
  const { threshold, roundingBase } = report.disclosure;
  for (const metric of ['contacts', 'earlier_help_contacts', 'contact_references']) {
    const periods = report.metrics.find((m) => m.id === metric)?.periods;
    if (!periods) throw new Error(`the report by ${breakdown} has no ${metric}`);
    for (const p of periods) {
      for (const row of [...p.rows, ...(p.total ? [p.total] : [])]) {
        const t = tally.get(`${metric}|${p.period}|${row.value === ALL ? 'all' : breakdown}|${row.value}`);
        const n = t instanceof Set ? t.size : (t ?? 0);
        const expected = n > 0 && n <= threshold ? 'suppressed' : roundingBase > 0 ? Math.round(n / roundingBase) * roundingBase : n;
        const got = row.cells.count;
        if (typeof got === 'object' && got !== null) suppressed++;
        else if (got === expected) matched++;
        else wrong.push(`${metric} ${p.period} ${breakdown}=${row.value}: report ${JSON.stringify(got)}, scan ${n}`);
      }
    }
  }
  if (wrong.length > 0 || matched === 0) throw new Error(`the report and the scan disagree (${wrong.length} figures; ${matched} agree):\n${wrong.slice(0, 20).join('\n')}`);
  return { matched, suppressed };
}

// ---------- the benchmark (in its own process) ----------
async function run(quick: boolean, dynamoEndpoint: string, dataDir: string, log: (m: string) => void): Promise<ReportCostResults> {
  const started = performance.now();
  const sizes = process.env['REPORT_COST_SIZES']?.split(',').map(Number) ?? (quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000]);
  const backgroundErrors: string[] = [];
  const env = await startLocalEnvironment({ dataDir, dynamoEndpoint, tablePrefix: PREFIX, seed: true, onBackgroundError: (e) => void backgroundErrors.push(String(e).slice(0, 200)) });
  const low = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'eu-west-2', maxAttempts: 10 });
  const doc = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  const { Case: caseTable, Aggregates: aggregatesTable } = env.tableNames;
  try {
    await env.drainStreams(); // the demo data, counted by the aggregator
    // The bulk load must not reach the aggregator too (it would count every contact twice, and replaying a million
    // stream records takes hours): the case table's stream is off while contacts are written straight to the table.
    await low.send(new UpdateTableCommand({ TableName: caseTable, StreamSpecification: { StreamEnabled: false } }));
    // The demo data: its contacts are counted by both sides; seeded references must not repeat its references.
    const demo = await doc.send(new ScanCommand({ TableName: caseTable, FilterExpression: 'begins_with(pk, :ref) OR #type = :contact', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':ref': 'REF#', ':contact': 'contact' } }));
    if (demo.LastEvaluatedKey) throw new Error('the demo data no longer fits one Scan page');
    const state = { person: 0, taken: new Set((demo.Items ?? []).map((i) => String(i['contactReference'] ?? String(i['pk']).slice(4)))), deltas: new Map<string, number>() };
    const demoContacts = (demo.Items ?? []).filter((i) => i['type'] === 'contact' && i['status'] === 'active').length;
    const today = todayUtc();
    const months = { from: addMonths(today, -11).slice(0, 7), to: today.slice(0, 7) };
    const range = { first: `${months.from}-01`, days: daysBetween(`${months.from}-01`, today) + 1 };
    const path = (b: string) => `/reports/metrics?from=${months.from}&to=${months.to}&breakdown=${b}`;
    const headers = { authorization: `Bearer ${await env.idp.issueAccessToken(findDemoUser('commissioner')!)}` };
    const get = async (p: string) => {
      const res = await fetch(`${env.url}${p}`, { headers });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${text.slice(0, 300)}`);
      return text;
    };
    const timed = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
    const report = async () => { await get(path('strand')); await get(path('team')); };
    const floor = async () => { await get('/reports/definitions'); await get('/reports/definitions'); };
    // Handlers and DynamoDB Local warmed on the demo data first, so the smallest size is not measured cold.
    log(`environment at ${env.url} (${caseTable}); sizes ${sizes.map(sizeLabel).join(', ')}; warming the report on the demo data`);
    for (let i = 0; i < 3 * WARMUP; i++) await report().then(floor).then(() => env.drainStreams());
    let rebuildCheck: ReportCostResults['rebuildCheck'] | undefined;
    const out: ReportCostSize[] = [];
    let total = 0;
    for (const size of sizes) {
      const added = size - total;
      log(`${sizeLabel(size)}: seeding ${fmt(added)} contacts (${SEED_CONCURRENCY} BatchWriteItem requests in flight)`);
      const t0 = performance.now();
      await pool(contactBatches(added, range, state), SEED_CONCURRENCY, async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
          const res = await doc.send(new BatchWriteCommand({ RequestItems: { [caseTable]: pending } }));
          pending = (res.UnprocessedItems?.[caseTable] ?? []) as typeof pending;
        }
      });
      const seconds = (performance.now() - t0) / 1000;
      // The counters, written as the aggregator and the rebuild tool's repair write them: ADD to n.
      const t1 = performance.now();
      const deltas = [...state.deltas].filter(([, n]) => n !== 0);
      await pool(deltas, 16, ([key, n]) => doc.send(new UpdateCommand({ TableName: aggregatesTable, Key: keys.counter(parseCellKey(key)), UpdateExpression: 'ADD #n :d', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':d': n } })));
      state.deltas.clear();
      const counterSeconds = (performance.now() - t1) / 1000;
      total = size;
      log(`${sizeLabel(size)}: seeded in ${r1(seconds)} s (${fmt(Math.round(added / seconds))}/s); ${deltas.length} counters updated in ${r1(counterSeconds)} s`);
      if (!rebuildCheck) {
        const check = await reconcile(doc, { caseTable, aggregatesTable });
        const counterDifferences = check.differences.filter((d) => d.kind === 'counter');
        if (counterDifferences.length > 0) throw new Error(`reports:rebuild finds the counters wrong: ${JSON.stringify(counterDifferences.slice(0, 10))}`);
        rebuildCheck = { contacts: size, sourceRecords: check.sourceRecords, counterDifferences: 0, referenceCountDifferences: check.differences.length };
        log(`${sizeLabel(size)}: reports:rebuild (check) recomputes every counter the same from ${fmt(check.sourceRecords)} records`);
      }
      const segments = Math.max(4, Math.ceil(size / 2_000));
      const scanRuns = size <= 10_000 ? 5 : size <= 100_000 ? 3 : 1;
      let tally: Tally = new Map();
      const scanMs = [await timed(async () => (tally = await scanFigures(doc, caseTable, months.from, months.to, segments)))];
      const strandCheck = compareFigures(JSON.parse(await get(path('strand'))) as ReportJson, 'strand', tally);
      const teamCheck = compareFigures(JSON.parse(await get(path('team'))) as ReportJson, 'team', tally);
      log(`${sizeLabel(size)}: report and scan agree on ${strandCheck.matched + teamCheck.matched} figures (${strandCheck.suppressed + teamCheck.suppressed} suppressed); scan ${r1(scanMs[0]! / 1000)} s`);
      // Report and floor alternate; each run starts from a quiet environment: the stream consumers (the audit sealer) are drained between runs, untimed.
      const reportMs: number[] = [];
      const floorMs: number[] = [];
      for (let i = 0; i < WARMUP + (quick ? 5 : 20); i++) {
        const [r, f] = [await timed(report), await timed(floor)];
        if (i >= WARMUP) { reportMs.push(r); floorMs.push(f); }
        await env.drainStreams();
      }
      for (let i = 1; i < scanRuns; i++) scanMs.push(await timed(() => scanFigures(doc, caseTable, months.from, months.to, segments)));
      const [rep, fl, scan] = [summary(reportMs), summary(floorMs), summary(scanMs)];
      const round = (s: Stats) => ({ ...s, median: r1(s.median), p10: r1(s.p10), p90: r1(s.p90), min: r1(s.min), max: r1(s.max) });
      out.push({
        contacts: size, seed: { added, seconds: r1(seconds), perSecond: Math.round(added / seconds), counterUpdates: deltas.length, counterSeconds: r1(counterSeconds) },
        report: round(rep), reportOverSmallest: r2(rep.median / (out[0]?.report.median ?? rep.median)), floor: round(fl), reportOverFloor: r2(rep.median / fl.median),
        scan: { ...round(scan), segments }, scanOverReport: r1(scan.median / rep.median),
        figuresMatched: strandCheck.matched + teamCheck.matched, figuresSuppressed: strandCheck.suppressed + teamCheck.suppressed,
      });
      log(`${sizeLabel(size)}: report median ${r1(rep.median)} ms (floor ${r1(fl.median)} ms); scan median ${r1(scan.median)} ms (${scanMs.length} runs)`);
    }
    const [first, last] = [out[0]!, out.at(-1)!];
    const ratio = last.reportOverSmallest;
    return {
      mode: quick ? 'quick' : 'full', months, requests: ['strand', 'team'].map(path), demoContacts, seedConcurrency: SEED_CONCURRENCY,
      rebuildCheck: rebuildCheck!, sizes: out,
      budget: { smallest: first.contacts, largest: last.contacts, ratio, overFloorRatio: r2(last.reportOverFloor / first.reportOverFloor), limit: BUDGET, met: ratio <= BUDGET },
      backgroundErrors, durationSeconds: r1((performance.now() - started) / 1000),
    };
  } finally {
    await env.stop();
    for (const t of Object.values(env.tableNames)) await low.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
    low.destroy();
  }
}

// ---------- BENCHMARKS.md ----------
export function reportCostMarkdown(r: ReportCostResults): string[] {
  const [first, last] = [r.sizes[0]!, r.sizes.at(-1)!];
  const [small, large] = [sizeLabel(first.contacts), sizeLabel(last.contacts)];
  const perContact = r.rebuildCheck.referenceCountDifferences / r.rebuildCheck.contacts;
  const L = ['## 4. Report cost as data grows: 10k, 100k, 1M contacts against a scan', ''];
  L.push(`bench/report-cost.ts (${r.mode}: ${r.sizes.map((s) => fmt(s.contacts)).join(', ')} contacts; ${Math.round(r.durationSeconds)} s), in a process of its own with its own local environment: tables \`${PREFIX}*\` on a DynamoDB Local started for this benchmark alone (in memory), seeded as \`npm start\` seeds them (demo users, teams, champions, ${r.demoContacts} demo contacts counted by the aggregator).`, '');
  L.push(`- **Data.** Contacts are written straight to the case table with BatchWriteItem (25 a request, ${r.seedConcurrency} requests in flight, unprocessed items retried), cumulatively: each size adds to the one before. Each is the item the contacts store writes (its own \`contactItem\` and \`retentionExpiry\`, checked with \`contactConsistency\`), fields drawn from the taxonomies of shared/domain, dated over the report's 12 months, spread over the active demo champions of both teams and the strands each serves; a person has 1–3 contacts under one contact reference; 1% are deleted. Only contact items are written (no signposting, reference or audit items), so the scan reads a smaller table than a real one with as many contacts.`);
  L.push(`- **Counters.** The case table's stream is off during the bulk load, or the aggregator would count every contact again (and replaying a million stream records, a transaction each, would take hours). The counters are built with the rebuild tool's arithmetic instead (\`contributions\`, \`sumContributions\`, \`distinctCounters\` of shared/domain/metrics.ts, as scripts/reports-rebuild.ts uses them) and written as its repair writes them (UpdateItem \`ADD n\` on \`keys.counter\`), once per size. At ${fmt(r.rebuildCheck.contacts)} contacts, \`reports:rebuild\` in check mode (\`reconcile\`) recomputed them from all ${fmt(r.rebuildCheck.sourceRecords)} records of the case table: ${r.rebuildCheck.counterDifferences} counter differences. It lists the ${fmt(r.rebuildCheck.referenceCountDifferences)} per-reference counts as missing (${r1(perContact)} per contact: one per reference, period and breakdown value, which let the aggregator keep distinct references incrementally): the report never reads them, and they are not written (a million contacts would need some ${r1(perContact)} million items).`);
  L.push(`- **Report.** \`${r.requests[0]}\`, then the same with \`breakdown=team\` (every metric supporting the breakdown, per month, disclosure control applied), over HTTP through the local gateway as the commissioner; a run is both requests. Its floor, alternated with it: \`GET /reports/definitions\` twice (same function, gateway and token check; no counters read). ${3 * WARMUP} warm-up runs on the demo data before seeding and ${WARMUP} at each size; between runs, untimed, the stream consumers are drained (the audit sealer handles the run's audit events).`);
  L.push("- **Scan**, the naive alternative: a parallel Scan of the case table, every page, filtered to active contacts of the 12 months, projected to the fields needed and grouped in memory by month × strand and month × team. DynamoDB Local's scan slows sharply on large segments (one segment over 90k items took minutes), so it uses ⌈contacts / 2,000⌉ segments (at least 4, 24 in flight): that favours the scan. At each size the first scan is checked against the report: every figure of contacts, earlier help and distinct references, both breakdowns, every month and the totals, must equal the scan's or be suppressed, or the benchmark fails.", '');
  L.push(`Budget: the report at ${large} within ${r.budget.limit}× of the report at ${small} (its cost is flat), while the scan grows with the data.`, '');
  L.push(`| contacts | report median (ms) | p10–p90 | runs | × report@${small} | floor median (ms) | report × floor | scan median (ms) | p10–p90 | runs (segments) | scan × report | figures equal / suppressed | seeding this size |`);
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const s of r.sizes) {
    L.push(`| ${fmt(s.contacts)} | ${s.report.median} | ${s.report.p10}–${s.report.p90} | ${s.report.runs} | ${s.reportOverSmallest} | ${s.floor.median} | ${s.reportOverFloor} | ${fmt(s.scan.median)} | ${fmt(s.scan.p10)}–${fmt(s.scan.p90)} | ${s.scan.runs} (${s.scan.segments}) | ${fmt(s.scanOverReport)} | ${s.figuresMatched} / ${s.figuresSuppressed} | +${fmt(s.seed.added)} in ${s.seed.seconds} s (${fmt(s.seed.perSecond)}/s); ${fmt(s.seed.counterUpdates)} counters in ${s.seed.counterSeconds} s |`);
  }
  const grew = `the scan grew ${r1(last.scan.median / first.scan.median)}× for ${fmt(last.contacts / first.contacts)}× the contacts; measured against its floor, the report at ${large} is ${r.budget.overFloorRatio}× the report at ${small}.`;
  L.push('', r.budget.met
    ? `Budget met: the report at ${large} took ${r.budget.ratio}× the report at ${small} (limit ${r.budget.limit}×); ${grew}`
    : `Budget **missed**: the report at ${large} took ${r.budget.ratio}× the report at ${small} (limit ${r.budget.limit}×; ${r1(last.report.median - r.budget.limit * first.report.median)} ms over); ${grew}`);
  if (r.backgroundErrors.length > 0) L.push('', `The local environment reported ${r.backgroundErrors.length} background errors (first: ${r.backgroundErrors[0]}).`);
  L.push('');
  return L;
}

// ---------- entry points ----------
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, child: { type: 'boolean', default: false }, endpoint: { type: 'string' }, 'data-dir': { type: 'string' }, out: { type: 'string' } } });
  const main = async () => {
    if (values.child) {
      const results = await run(values.quick, values.endpoint!, values['data-dir']!, (m) => console.log(`${MARK}${m}`));
      writeFileSync(values.out!, JSON.stringify(results));
      return;
    }
    const dynamo = await startDynamoDbLocal();
    try {
      const results = await reportCostBenchmark({ quick: values.quick, dynamoEndpoint: dynamo.endpoint, log: benchLog });
      console.log(`\n${reportCostMarkdown(results).join('\n')}\n${JSON.stringify(results, null, 2)}`);
    } finally {
      await dynamo.stop();
    }
  };
  main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
}
