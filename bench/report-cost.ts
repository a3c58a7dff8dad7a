/**
 * Benchmark 4 of issue 9, with issue 24's region step: what a 12-month metrics report, a supervisor's caseload and one
 * day's audit verification cost as the data grows from a city (docs/DEPLOY.md's: 5,000 contacts and 500 escalations a
 * year) to 10 cities and a region (100×), each holding several years of data (full: 15k, 150k, 1.5M contacts; quick:
 * a hundredth of each city), beside the naive alternative to the report measured in the same run: the same figures
 * computed by scanning the case table.
 *
 * It runs in a child process of its own (reportCostBenchmark spawns this file with --child): a local environment
 * keeps its configuration and handler modules per process, so a second one beside bench/run.ts's would read the
 * other's tables. Standalone: `npx tsx bench/report-cost.ts [--quick]` starts an in-memory DynamoDB Local, runs it and
 * prints the markdown and the JSON. REPORT_COST_CITIES=1,5 and REPORT_COST_YEARS=2 override the sizes (development only);
 * REPORT_COST_PROFILE=<dir> writes a CPU profile of each size's timed runs.
 */
import { DeleteTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
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
import { getConfig } from '../shared/config';
import { hoursBetween, type VerificationReport } from '../shared/domain/audit-seal';
import { checkSymbol, CROCKFORD_ALPHABET } from '../shared/domain/contact-reference';
import { contactConsistency, type Contact } from '../shared/domain/contacts';
import { addDays, addMonths, daysBetween, todayUtc } from '../shared/domain/dates';
import { caseloadSince, raiseEscalation } from '../shared/domain/escalation-decisions';
import type { StoredEscalation } from '../shared/domain/escalation-views';
import { escalationReasons } from '../shared/domain/escalations';
import { ALL, contributions, distinctCounters, parseCellKey, sumContributions } from '../shared/domain/metrics';
import { ukCalendar } from '../shared/domain/service-levels';
import type { Strand } from '../shared/domain/strands';
import { ageBands, dasvForms, genders, hateIncidentKinds, hateMotivations, priorHelp, riskFlags, settings } from '../shared/domain/taxonomies';
import { auditItem, buildAuditEvent } from '../shared/store/audit';
import { chainHead, eventsOfHour, hourIndex, sealHour } from '../shared/store/audit-sealer';
import { verifyAuditRange } from '../shared/store/audit-verify';
import { contactItem, retentionExpiry } from '../shared/store/contact-store';
import { countedYearAction, newCountedYearToken, yearOfCounter } from '../shared/store/counted-years';
import { escalationItem } from '../shared/store/escalation-store';
import { keys } from '../shared/store/keys';
import { benchLog, r1, r2, summary } from './stats';

type Stats = ReturnType<typeof summary>;
export interface ReportCostSize {
  /** Cities' worth of data: the city of docs/DEPLOY.md's estimate (see CITY), each over YEARS years; 100 is the region. */
  cities: number;
  contacts: number;
  escalations: number;
  seed: { added: number; seconds: number; perSecond: number; counterUpdates: number; counterSeconds: number };
  /** The scheduled report protection's run after seeding (functions/report-protection): every metric's two years protected and stored. */
  protectionRunMs?: number;
  /** The first report at this size (both requests, with the check against the scan), from the stored patterns. */
  firstReportMs: number;
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
  /** GET /caseload as supervisor-a (team A: the same team, with the same data, at every size). */
  caseload: Stats;
  caseloadOverSmallest: number;
  /** GET /reports/definitions once, alternated with the caseload and the verification: the floor of a one-request operation. */
  floorOne: Stats;
  caseloadOverFloor: number;
  /** What the caseload showed, checked against the seeded data and the scan. */
  caseloadShown: { openEscalations: number; contactsLast90Days: number; champions: number };
  /** One day's verification (24 hours; verifyAuditRange, as npm run audit:verify and POST /audit/verify run it): a day of this size's audit events, sealed by the sealer's own sealHour. */
  audit: { day: string; events: number; seedSeconds: number; sealSeconds: number; eventsChecked: number; periodsChecked: number; digestsChecked: number };
  verify: Stats;
  verifyOverSmallest: number;
  /** The sealer's chain head read in this process (one Query): the floor of the verification, which runs in this process. */
  verifyFloor: Stats;
  verifyOverFloor: number;
  /** Milliseconds per event checked (median), and its ratio to the smallest size's. */
  verifyPerEventMs: number;
  verifyPerEventOverSmallest: number;
}
export interface OperationBudget { operation: string; measure: string; ratio: number; limit: number; met: boolean }
export interface ReportCostResults {
  mode: 'quick' | 'full';
  months: { from: string; to: string };
  requests: string[];
  demoContacts: number;
  seedConcurrency: number;
  /** The city: contacts and escalations a year, audit events a day (full size; quick runs a hundredth of it), and the years seeded. */
  city: { contactsPerYear: number; escalationsPerYear: number; auditEventsPerDay: number; scale: number; years: number; teams: number };
  rebuildCheck: { contacts: number; sourceRecords: number; counterDifferences: number; referenceCountDifferences: number };
  sizes: ReportCostSize[];
  budget: { smallest: number; largest: number; ratio: number; overFloorRatio: number; limit: number; met: boolean };
  /** Region ÷ city for the report, the caseload and one day's audit verification. */
  regionBudgets: OperationBudget[];
  backgroundErrors: string[];
  durationSeconds: number;
}

const MARK = '@report-cost ';
const PREFIX = 'bench-rc-';
const SEED_CONCURRENCY = 16;
const GROUP = 2_000;
const BUDGET = 1.5;
const QUICK = process.argv.includes('--quick');
const WARMUP = QUICK ? 2 : 10; // the smoke run (--quick, passed on to the child) warms up less: a 12-month report takes seconds
/**
 * The city of docs/DEPLOY.md's cost estimate: 60 champions, 5,000 contacts and 500 escalations a year, 15,000 API
 * requests a month of which 70% are audited reads; audited writes are the contacts and escalations (raised, then about
 * four transitions). Its audit events a day: (15,000 × 0.7 + (5,000 + 500 × 5) / 12) / (365 / 12) ≈ 366. Here a city is
 * the demo's two teams (13 champions; the contacts go to its 11 active ones), and each further city two teams of its own
 * (copies of the demo's, with ids of their own): a region is more teams, not bigger ones, so a supervisor's team is
 * the same size in a city and in a region. The quick run (CI's smoke run) seeds a city and ten, each a tenth the size.
 */
const CITY = { contactsPerYear: 5_000, escalationsPerYear: 500, auditEventsPerDay: Math.round((15_000 * 0.7 + (5_000 + 500 * 5) / 12) / (365 / 12)) };
const SCALE = QUICK ? 0.1 : 1;
/** Years of data each city holds (contacts dated over them; the report reads the last 12 months). */
const YEARS = Number(process.env['REPORT_COST_YEARS'] ?? 3);
/** Cities' worth of data at each step, cumulatively: a city, ten, and the region (100× the city's volume). */
const CITIES = process.env['REPORT_COST_CITIES']?.split(',').map(Number) ?? (QUICK ? [1, 10] : [1, 10, 100]);
const VERIFY_RUNS = QUICK ? 3 : 5;
/** REPORT_COST_PROFILE=<dir>: a V8 CPU profile of each size's timed runs (gateway, handlers and client: one process) written there (development only). */
const PROFILE_DIR = process.env['REPORT_COST_PROFILE'];
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return { stop: async () => { const { profile } = await session.post('Profiler.stop'); session.disconnect(); return profile; } };
}
/** The supervisor whose caseload is timed, and their team (the first city's). */
const CASELOAD_TEAM = 'team-a';
const ESCALATION_SHARE = CITY.escalationsPerYear / CITY.contactsPerYear;
/** A seeded escalation raised longer ago than this has been withdrawn a day after it was raised; newer ones are open. */
const OPEN_FOR_DAYS = 14;
const root = fileURLToPath(new URL('..', import.meta.url));
const fmt = (n: number) => n.toLocaleString('en-GB');

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
/** City n's champions and supervisors: the demo's for the first city, copies with ids of their own (`…-c<n>`) for the others. */
function cityOf(n: number) {
  const own = (id: string) => (n === 0 ? id : `${id}-c${n}`);
  const champions = demoChampions.filter((c) => !c.suspended).map((c) => ({ ...c, id: own(c.id), teamId: own(c.teamId), sub: own(c.username ? findDemoUser(c.username)!.sub : c.identity!) }));
  const supervisorOf = (team: string) => own(demoUsers.find((u) => u.role === 'supervisor' && own(u.team ?? '') === team)!.sub);
  return { champions, supervisorOf };
}

export interface SeedState {
  person: number;
  taken: Set<string>;
  deltas: Map<string, number>;
  escalations: number;
  /** Open escalations seeded, by team. */
  open: Map<string, number>;
}

/**
 * Contacts of people (1 to 3 contacts each, linked by their reference) of the given cities, dated over `range`, in
 * groups, with the escalations raised from a tenth of them (the city's 500 a year for 5,000 contacts); yields the items
 * 25 at a time.
 */
export function* contactBatches(cities: readonly number[], perCity: number, range: { first: string; days: number }, state: SeedState) {
  const rnd = prng(0x5eed + state.person);
  const config = getConfig();
  const calendar = ukCalendar(config.bankHolidays);
  const now = Date.now();
  for (const city of cities) {
    const { champions, supervisorOf } = cityOf(city);
    for (let made = 0; made < perCity; ) {
      const group: Record<string, unknown>[] = [];
      const escalations: Record<string, unknown>[] = [];
      while (group.length < Math.min(GROUP, perCity - made)) {
        let reference = referenceOf(state.person++);
        while (state.taken.has(reference)) reference = referenceOf(state.person++);
        const ch = rnd.pick(champions);
        const both = ch.strands.length > 1 ? rnd.next() : 0;
        const strands: Strand[] = ch.strands.length === 1 ? [...ch.strands] : both < 0.55 ? ['dasv'] : both < 0.9 ? ['hate_crime'] : ['dasv', 'hate_crime'];
        const community = rnd.next() < 0.6 ? rnd.pick(COMMUNITIES, 1.5) : undefined;
        const visits = rnd.next() < 0.78 ? 1 : rnd.next() < 0.75 ? 2 : 3;
        const dates = Array.from({ length: visits }, () => addDays(range.first, Math.floor(rnd.next() * range.days))).sort();
        for (const [i, contactDate] of dates.entries()) {
          if (group.length >= Math.min(GROUP, perCity - made)) break;
          const created = Math.min(Date.parse(`${contactDate}T08:00:00Z`) + Math.floor(rnd.next() * 12 * 3_600_000), now);
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
          let escalation: StoredEscalation | undefined;
          if (c.status === 'active' && rnd.next() < ESCALATION_SHARE) {
            // Raised within two hours of the contact, as the store raises it (raiseEscalation); an older one was withdrawn a day later.
            const raised = new Date(Math.min(created + Math.floor(rnd.next() * 2 * 3_600_000), now));
            escalation = raiseEscalation({
              id: `escalation-${ulid(raised.getTime()).toLowerCase()}`, contact: c, champion: { id: ch.id }, principal: { sub: ch.sub, role: 'champion' },
              firstContactDate: dates[0]!, input: { reason: rnd.pick(escalationReasons.schema.options, 2), consent: rnd.next() < 0.8 ? 'yes' : 'not_asked' },
              now: raised, calendar, serviceLevels: config.triageServiceLevels, expiresAt: retentionExpiry(raised),
            });
            if (now - raised.getTime() > OPEN_FOR_DAYS * 86_400_000) {
              const at = new Date(raised.getTime() + 86_400_000).toISOString();
              const by = supervisorOf(ch.teamId);
              escalation = { ...escalation, state: 'withdrawn', withdrawnAt: at, withdrawnReason: 'The person chose not to go ahead', updatedAt: at, version: 2, history: [...escalation.history, { to: 'withdrawn', at, by, role: 'supervisor' }] };
            } else state.open.set(ch.teamId, (state.open.get(ch.teamId) ?? 0) + 1);
            Object.assign(c, { hasEscalation: true, version: c.version + 1 });
          }
          const problems = contactConsistency(c);
          if (problems.length > 0) throw new Error(`seeded contact is inconsistent: ${JSON.stringify(problems)}`);
          group.push(escalation ? { ...contactItem(c), escalationId: escalation.id } : contactItem(c));
          if (escalation) escalations.push(escalationItem(escalation));
        }
      }
      made += group.length;
      state.escalations += escalations.length;
      // The rebuild tool's arithmetic: what each record contributes, summed; distinct references from the reference counts
      // (people never span groups, so the distinct figures of groups add up).
      const items = [...group, ...escalations];
      const sum = sumContributions(items.map((item) => contributions(item)));
      for (const source of [sum.counters, distinctCounters(sum.references)]) for (const [k, n] of source) state.deltas.set(k, (state.deltas.get(k) ?? 0) + n);
      for (let i = 0; i < items.length; i += 25) yield items.slice(i, i + 25);
    }
  }
}

/**
 * One day of audit events (`count`, spread over its 24 hours) as the functions write them (buildAuditEvent, auditItem):
 * mostly supervisors' reads of case data, champions' contacts and lists, commissioners' reports, by people of the
 * given cities. Yields the items 25 at a time.
 */
function* auditDayBatches(day: string, count: number, cities: number, seed: number) {
  const rnd = prng(seed);
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const kinds = [
    { share: 0.45, role: 'supervisor', action: 'contacts.read', entityType: 'contact' },
    { share: 0.15, role: 'supervisor', action: 'caseload.read', entityType: 'team' },
    { share: 0.1, role: 'supervisor', action: 'escalations.read', entityType: 'escalation' },
    { share: 0.15, role: 'champion', action: 'contacts.list', entityType: 'champion' },
    { share: 0.1, role: 'champion', action: 'contacts.create', entityType: 'contact' },
    { share: 0.05, role: 'commissioner', action: 'reports.read', entityType: 'report' },
  ] as const;
  let batch: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start + Math.floor(rnd.next() * 86_400_000));
    let r = rnd.next();
    const kind = kinds.find((k) => (r -= k.share) < 0) ?? kinds[0];
    const { champions, supervisorOf } = cityOf(Math.floor(rnd.next() * cities));
    const ch = rnd.pick(champions);
    const sub = kind.role === 'champion' ? ch.sub : kind.role === 'supervisor' ? supervisorOf(ch.teamId) : findDemoUser('commissioner')!.sub;
    const entityId = kind.entityType === 'team' ? ch.teamId : kind.entityType === 'champion' ? ch.id : kind.entityType === 'report' ? 'metrics' : `${kind.entityType}-${ulid(at.getTime()).toLowerCase()}`;
    const event = buildAuditEvent(
      { principal: { sub, role: kind.role, ...(kind.role === 'commissioner' ? {} : { team: ch.teamId }) }, requestId: `bench-${seed}-${i}` },
      { action: kind.action, entityType: kind.entityType, entityId, ...(kind.role === 'commissioner' ? {} : { teamId: ch.teamId }), ...(kind.action === 'contacts.create' ? { changedFields: ['strands', 'contactDate'] } : {}) },
      'success',
      at,
    );
    batch.push(auditItem(event));
    if (batch.length === 25) { yield batch; batch = []; }
  }
  if (batch.length > 0) yield batch;
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
/**
 * The report's figures from a Scan; for the caseload's check, team A's active contacts per champion since `since90`
 * and `since30` too (`caseload90|<champion>`, `caseload30|<champion>`).
 */
async function scanFigures(doc: DynamoDBDocumentClient, table: string, from: string, to: string, segments: number, since: { since90: string; since30: string }): Promise<Tally> {
  const tally: Tally = new Map();
  const bump = (k: string) => tally.set(k, ((tally.get(k) as number | undefined) ?? 0) + 1);
  await pool(Array.from({ length: segments }, (_, i) => i), Math.min(segments, 24), async (segment) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({
        TableName: table, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start,
        FilterExpression: '#type = :contact AND #status = :active AND contactDate BETWEEN :from AND :to',
        ProjectionExpression: 'strands, teamId, contactDate, beforePoliceOrEmergency, contactReference, championId',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: { ':contact': 'contact', ':active': 'active', ':from': `${from}-01`, ':to': `${to}-31` },
      }));
      for (const c of page.Items ?? []) {
        const month = String(c['contactDate']).slice(0, 7);
        if (c['teamId'] === CASELOAD_TEAM && String(c['contactDate']) >= since.since90) {
          bump(`caseload90|${String(c['championId'])}`);
          if (String(c['contactDate']) >= since.since30) bump(`caseload30|${String(c['championId'])}`);
        }
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
interface CaseloadJson {
  escalations: { items: { id: string }[]; total: number };
  contactCounts: { championId: string; last30Days: number; last90Days: number }[];
}

/**
 * The caseload against what was seeded and scanned: its open escalations are those the demo data had plus those seeded
 * open for the team, and its contacts per champion over 30 and 90 days those of the scan. Its escalations and counts must
 * also be those of the smallest size: team A's data is the same at every size, and no other city's or year's may show.
 */
function checkCaseload(c: CaseloadJson, expectedOpen: number, tally: Tally, first: CaseloadJson | undefined, label: string) {
  const wrong: string[] = [];
  if (c.escalations.total !== expectedOpen) wrong.push(`open escalations: caseload ${c.escalations.total}, seeded ${expectedOpen}`);
  const shown = new Set<string>();
  for (const row of c.contactCounts) {
    shown.add(row.championId);
    const [n90, n30] = [tally.get(`caseload90|${row.championId}`) ?? 0, tally.get(`caseload30|${row.championId}`) ?? 0];
    if (row.last90Days !== n90 || row.last30Days !== n30) wrong.push(`${row.championId}: caseload ${row.last30Days}/${row.last90Days}, scan ${String(n30)}/${String(n90)}`);
  }
  for (const [k, n] of tally) if (k.startsWith('caseload90|') && !shown.has(k.slice('caseload90|'.length))) wrong.push(`${k.slice('caseload90|'.length)} has ${String(n)} contacts in 90 days and is not in the caseload`);
  if (first) {
    const ids = (x: CaseloadJson) => x.escalations.items.map((e) => e.id).sort().join(',');
    const counts = (x: CaseloadJson) => JSON.stringify([...x.contactCounts].sort((p, q) => p.championId.localeCompare(q.championId)));
    if (ids(c) !== ids(first)) wrong.push('its open escalations differ from those at the smallest size');
    if (counts(c) !== counts(first)) wrong.push('its contacts per champion differ from those at the smallest size');
  }
  if (wrong.length > 0) throw new Error(`the caseload at ${label} is wrong:\n${wrong.slice(0, 20).join('\n')}`);
}

/** One day's verification must check its 24 hours and exactly the events seeded for it, and find no break. */
function checkVerification(v: VerificationReport, events: number, label: string) {
  if (!v.ok || v.periodsChecked !== 24 || v.eventsChecked !== events) {
    throw new Error(`the audit verification at ${label} is wrong: ok ${v.ok}, ${v.periodsChecked} hours and ${v.eventsChecked} events checked (seeded ${events}); first break ${JSON.stringify(v.firstBreak)}`);
  }
}

// ---------- the benchmark (in its own process) ----------
async function run(quick: boolean, dynamoEndpoint: string, dataDir: string, log: (m: string) => void): Promise<ReportCostResults> {
  const started = performance.now();
  const perCity = Math.round(CITY.contactsPerYear * SCALE * YEARS);
  const auditPerCityDay = Math.max(1, Math.round(CITY.auditEventsPerDay * SCALE));
  const backgroundErrors: string[] = [];
  const env = await startLocalEnvironment({ dataDir, dynamoEndpoint, tablePrefix: PREFIX, seed: true, onBackgroundError: (e) => void backgroundErrors.push(String(e).slice(0, 200)) });
  const low = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'eu-west-2', maxAttempts: 10 });
  const doc = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  const { Case: caseTable, Aggregates: aggregatesTable, Audit: auditTable } = env.tableNames;
  try {
    await env.drainStreams(); // the demo data, counted by the aggregator, its audit events sealed
    // The bulk load must not reach the aggregator too (it would count every contact twice, and replaying a million
    // stream records takes hours): the case table's stream is off while contacts are written straight to the table.
    // Nor the audit sealer: the seeded days are sealed here, once each is written (a sealer fed them batch by batch
    // would seal an hour at its first batch and treat the rest as insertions).
    for (const t of [caseTable, auditTable]) await low.send(new UpdateTableCommand({ TableName: t, StreamSpecification: { StreamEnabled: false } }));
    // The demo data: its contacts are counted by both sides; seeded references must not repeat its references.
    const demo = await doc.send(new ScanCommand({ TableName: caseTable, FilterExpression: 'begins_with(pk, :ref) OR #type = :contact', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':ref': 'REF#', ':contact': 'contact' } }));
    if (demo.LastEvaluatedKey) throw new Error('the demo data no longer fits one Scan page');
    const state: SeedState = { person: 0, taken: new Set((demo.Items ?? []).map((i) => String(i['contactReference'] ?? String(i['pk']).slice(4)))), deltas: new Map(), escalations: 0, open: new Map() };
    const demoContacts = (demo.Items ?? []).filter((i) => i['type'] === 'contact' && i['status'] === 'active').length;
    const today = todayUtc();
    const months = { from: addMonths(today, -11).slice(0, 7), to: today.slice(0, 7) };
    const firstMonth = addMonths(today, -(12 * YEARS - 1)).slice(0, 7);
    const range = { first: `${firstMonth}-01`, days: daysBetween(`${firstMonth}-01`, today) + 1 };
    const path = (b: string) => `/reports/metrics?from=${months.from}&to=${months.to}&breakdown=${b}`;
    const tokens: Record<string, string> = {};
    for (const u of ['commissioner', 'supervisor-a']) tokens[u] = `Bearer ${await env.idp.issueAccessToken(findDemoUser(u)!)}`;
    const call = async (p: string, user = 'commissioner', body?: unknown) => {
      const res = await fetch(`${env.url}${p}`, body === undefined ? { headers: { authorization: tokens[user]! } } : { method: 'POST', headers: { authorization: tokens[user]!, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${body === undefined ? 'GET' : 'POST'} ${p}: ${res.status} ${text.slice(0, 300)}`);
      return text;
    };
    const get = (p: string) => call(p);
    const timed = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
    const report = async () => { await get(path('strand')); await get(path('team')); };
    const floor = async () => { await get('/reports/definitions'); await get('/reports/definitions'); };
    const floorOne = () => get('/reports/definitions');
    const caseload = () => call('/caseload', 'supervisor-a');
    // In this process, as `npm run audit:verify` runs it (POST /audit/verify runs the same function behind the gateway,
    // whose function timeout, 10 s here and 30 s in API Gateway, a region's day need not fit).
    const verify = (day: string) => verifyAuditRange(`${day}T00`, `${day}T23`);
    const verifyFloor = () => chainHead();
    // Handlers and DynamoDB Local warmed on the demo data first, so the smallest size is not measured cold.
    log(`environment at ${env.url} (${caseTable}); ${CITIES.join(', ')} cities of ${fmt(perCity)} contacts (${YEARS} years) and ${fmt(auditPerCityDay)} audit events a day; warming up on the demo data`);
    for (let i = 0; i < 3 * WARMUP; i++) await report().then(floor).then(caseload).then(() => env.drainStreams());
    const demoOpen = (JSON.parse(await caseload()) as CaseloadJson).escalations.total;
    let rebuildCheck: ReportCostResults['rebuildCheck'] | undefined;
    let firstCaseload: CaseloadJson | undefined;
    const out: ReportCostSize[] = [];
    let [cities, contacts] = [0, 0];
    const usedDays = new Set<string>();
    for (const size of CITIES) {
      const label = `${size} ${size === 1 ? 'city' : 'cities'}`;
      const added = (size - cities) * perCity;
      log(`${label}: seeding ${fmt(added)} contacts over ${YEARS} years (${SEED_CONCURRENCY} BatchWriteItem requests in flight)`);
      const writeAll = async (table: string, batches: Iterable<Record<string, unknown>[]>) => pool(batches, SEED_CONCURRENCY, async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
          const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      });
      const t0 = performance.now();
      const escalationsBefore = state.escalations;
      await writeAll(caseTable, contactBatches(Array.from({ length: size - cities }, (_, i) => cities + i), perCity, range, state));
      const seconds = (performance.now() - t0) / 1000;
      // The counters, written as the aggregator and the rebuild tool's repair write them: ADD to n.
      const t1 = performance.now();
      const deltas = [...state.deltas].filter(([, n]) => n !== 0);
      await pool(deltas, 16, ([key, n]) => doc.send(new UpdateCommand({ TableName: aggregatesTable, Key: keys.counter(parseCellKey(key)), UpdateExpression: 'ADD #n :d', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':d': n } })));
      // Then the years' tokens move, as the aggregator moves them with its counters (shared/store/counted-years.ts).
      const token = newCountedYearToken();
      await pool([...new Set(deltas.map(([key]) => yearOfCounter(key)))], 4, (year) => doc.send(new TransactWriteCommand({ TransactItems: [countedYearAction(year, token, aggregatesTable)] })));
      state.deltas.clear();
      const counterSeconds = (performance.now() - t1) / 1000;
      [cities, contacts] = [size, contacts + added];
      log(`${label}: seeded ${fmt(added)} contacts and ${fmt(state.escalations - escalationsBefore)} escalations in ${r1(seconds)} s (${fmt(Math.round(added / seconds))} contacts/s); ${deltas.length} counters updated in ${r1(counterSeconds)} s`);
      if (!rebuildCheck) {
        const check = await reconcile(doc, { caseTable, aggregatesTable });
        const counterDifferences = check.differences.filter((d) => d.kind === 'counter');
        if (counterDifferences.length > 0) throw new Error(`reports:rebuild finds the counters wrong: ${JSON.stringify(counterDifferences.slice(0, 10))}`);
        rebuildCheck = { contacts, sourceRecords: check.sourceRecords, counterDifferences: 0, referenceCountDifferences: check.differences.length };
        log(`${label}: reports:rebuild (check) recomputes every counter the same from ${fmt(check.sourceRecords)} records`);
      }

      // One day of this size's audit events, on a day of its own with no events or digests yet, sealed as the sealer seals.
      let day = addDays(today, -20);
      const empty = async (d: string) => !usedDays.has(d) && (await hourIndex(`${d}T00`, `${d}T23`)).size === 0 && (await Promise.all(hoursBetween(`${d}T00`, `${d}T23`).map(eventsOfHour))).every((e) => e.length === 0);
      for (let tries = 0; !(await empty(day)); tries++) {
        if (tries > 400) throw new Error('no day without audit events in the last 400');
        day = addDays(day, -1);
      }
      usedDays.add(day);
      const auditEvents = cities * auditPerCityDay;
      const t2 = performance.now();
      await writeAll(auditTable, auditDayBatches(day, auditEvents, cities, size));
      const auditSeedSeconds = (performance.now() - t2) / 1000;
      const t3 = performance.now();
      for (const hour of hoursBetween(`${day}T00`, `${day}T23`)) await sealHour(hour);
      const sealSeconds = (performance.now() - t3) / 1000;
      log(`${label}: ${fmt(auditEvents)} audit events on ${day} written in ${r1(auditSeedSeconds)} s and sealed in ${r1(sealSeconds)} s`);

      const segments = Math.max(4, Math.ceil(contacts / 2_000));
      const scanRuns = contacts <= 10_000 ? 5 : contacts <= 200_000 ? 3 : 1;
      const since90 = caseloadSince(new Date());
      const since = { since90, since30: addDays(since90, 60) };
      let tally: Tally = new Map();
      const scanMs = [await timed(async () => (tally = await scanFigures(doc, caseTable, months.from, months.to, segments, since)))];
      // The scheduled report protection runs as it would within the hour after the data arrived: every metric's two
      // years protected and stored off the request path. The first report at the size then publishes those patterns.
      const tProtect = performance.now();
      await env.runScheduled('report-protection');
      const protectionRunMs = performance.now() - tProtect;
      const tFirst = performance.now();
      const strandCheck = compareFigures(JSON.parse(await get(path('strand'))) as ReportJson, 'strand', tally);
      const teamCheck = compareFigures(JSON.parse(await get(path('team'))) as ReportJson, 'team', tally);
      const firstReportMs = performance.now() - tFirst;
      const shown = JSON.parse(await caseload()) as CaseloadJson;
      checkCaseload(shown, demoOpen + (state.open.get(CASELOAD_TEAM) ?? 0), tally, firstCaseload, label);
      firstCaseload ??= shown;
      const verification: VerificationReport = await verify(day);
      checkVerification(verification, auditEvents, label);
      log(`${label}: report and scan agree on ${strandCheck.matched + teamCheck.matched} figures (${strandCheck.suppressed + teamCheck.suppressed} suppressed; the scheduled protection took ${r1(protectionRunMs / 1000)} s, then the first report ${r1(firstReportMs / 1000)} s); scan ${r1(scanMs[0]! / 1000)} s; caseload as seeded (${shown.escalations.total} open escalations); ${day} verifies (${fmt(verification.eventsChecked)} events)`);
      // Report, caseload and floors alternate; each run starts from a quiet environment: stream delivery is held back
      // while they are timed (in AWS the consumers run in functions of their own; here the poller's DescribeStream on
      // a region's case table took about half a second of DynamoDB Local's time), and the consumers are drained
      // between runs, untimed.
      const [reportMs, floorMs, caseloadMs, floorOneMs, verifyMs, verifyFloorMs]: [number[], number[], number[], number[], number[], number[]] = [[], [], [], [], [], []];
      const profiler = PROFILE_DIR ? await startProfiler() : undefined;
      await env.pauseStreams();
      for (let i = 0; i < WARMUP + (quick ? 5 : 20); i++) {
        const [r, f, c, f1] = [await timed(report), await timed(floor), await timed(caseload), await timed(floorOne)];
        if (i >= WARMUP) { reportMs.push(r); floorMs.push(f); caseloadMs.push(c); floorOneMs.push(f1); }
        await env.drainStreams();
      }
      env.resumeStreams();
      if (profiler) writeFileSync(join(PROFILE_DIR!, `${label.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(await profiler.stop()));
      // The verification reads a whole day: fewer runs, one untimed first, each beside a floor.
      await verify(day);
      for (let i = 0; i < VERIFY_RUNS; i++) {
        verifyMs.push(await timed(() => verify(day)));
        verifyFloorMs.push(await timed(verifyFloor));
        await env.drainStreams();
      }
      for (let i = 1; i < scanRuns; i++) scanMs.push(await timed(() => scanFigures(doc, caseTable, months.from, months.to, segments, since)));
      const [rep, fl, scan, cl, fl1, ver, vfl] = [summary(reportMs), summary(floorMs), summary(scanMs), summary(caseloadMs), summary(floorOneMs), summary(verifyMs), summary(verifyFloorMs)];
      const round = (s: Stats) => ({ ...s, median: r1(s.median), p10: r1(s.p10), p90: r1(s.p90), min: r1(s.min), max: r1(s.max) });
      const perEvent = ver.median / verification.eventsChecked;
      out.push({
        cities: size, contacts, escalations: state.escalations,
        seed: { added, seconds: r1(seconds), perSecond: Math.round(added / seconds), counterUpdates: deltas.length, counterSeconds: r1(counterSeconds) },
        protectionRunMs: r1(protectionRunMs), firstReportMs: r1(firstReportMs), report: round(rep), reportOverSmallest: r2(rep.median / (out[0]?.report.median ?? rep.median)), floor: round(fl), reportOverFloor: r2(rep.median / fl.median),
        scan: { ...round(scan), segments }, scanOverReport: r1(scan.median / rep.median),
        figuresMatched: strandCheck.matched + teamCheck.matched, figuresSuppressed: strandCheck.suppressed + teamCheck.suppressed,
        caseload: round(cl), caseloadOverSmallest: r2(cl.median / (out[0]?.caseload.median ?? cl.median)), floorOne: round(fl1), caseloadOverFloor: r2(cl.median / fl1.median),
        caseloadShown: { openEscalations: shown.escalations.total, contactsLast90Days: shown.contactCounts.reduce((n, c) => n + c.last90Days, 0), champions: shown.contactCounts.length },
        audit: { day, events: auditEvents, seedSeconds: r1(auditSeedSeconds), sealSeconds: r1(sealSeconds), eventsChecked: verification.eventsChecked, periodsChecked: verification.periodsChecked, digestsChecked: verification.digestsChecked },
        verify: round(ver), verifyOverSmallest: r2(ver.median / (out[0]?.verify.median ?? ver.median)), verifyFloor: round(vfl), verifyOverFloor: r2(ver.median / vfl.median),
        verifyPerEventMs: Math.round(perEvent * 1000) / 1000, verifyPerEventOverSmallest: r2(perEvent / (out[0] ? out[0].verify.median / out[0].audit.eventsChecked : perEvent)),
      });
      log(`${label}: report median ${r1(rep.median)} ms (floor ${r1(fl.median)} ms); caseload ${r1(cl.median)} ms; verification ${r1(ver.median)} ms (floor ${r1(vfl.median)} ms); scan median ${r1(scan.median)} ms (${scanMs.length} runs)`);
    }
    const [first, last] = [out[0]!, out.at(-1)!];
    const ratio = last.reportOverSmallest;
    const regionBudgets: OperationBudget[] = [
      { operation: 'commissioner report', measure: 'median', ratio, limit: BUDGET, met: ratio <= BUDGET },
      { operation: 'caseload', measure: 'median', ratio: last.caseloadOverSmallest, limit: BUDGET, met: last.caseloadOverSmallest <= BUDGET },
      { operation: "one day's audit verification", measure: 'median per event checked', ratio: last.verifyPerEventOverSmallest, limit: BUDGET, met: last.verifyPerEventOverSmallest <= BUDGET },
    ];
    return {
      mode: quick ? 'quick' : 'full', months, requests: ['strand', 'team'].map(path), demoContacts, seedConcurrency: SEED_CONCURRENCY,
      city: { ...CITY, scale: SCALE, years: YEARS, teams: 2 },
      rebuildCheck: rebuildCheck!, sizes: out,
      budget: { smallest: first.contacts, largest: last.contacts, ratio, overFloorRatio: r2(last.reportOverFloor / first.reportOverFloor), limit: BUDGET, met: regionBudgets.every((b) => b.met) },
      regionBudgets, backgroundErrors, durationSeconds: r1((performance.now() - started) / 1000),
    };
  } finally {
    await env.stop();
    for (const t of Object.values(env.tableNames)) await low.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
    low.destroy();
  }
}

// ---------- BENCHMARKS.md ----------
export function reportCostMarkdown(r: ReportCostResults): string[] {
  // bench/results.json from before the region step (issue 24) has no city: say so rather than render it wrongly.
  if (!(r as Partial<ReportCostResults>).city) return ['## 4. Report cost as data grows', '', 'The figures in bench/results.json are from before the region step (issue 24): run `npm run bench` again.', ''];
  const [first, last] = [r.sizes[0]!, r.sizes.at(-1)!];
  const cityLabel = (n: number) => (n === 1 ? 'a city' : n === 100 ? 'the region (100 cities)' : `${n} cities`);
  const [small, large] = [fmt(first.contacts), fmt(last.contacts)];
  const perContact = r.rebuildCheck.referenceCountDifferences / r.rebuildCheck.contacts;
  const c = r.city;
  const scaled = c.scale === 1 ? '' : ` (this ${r.mode} run seeds cities ${fmt(1 / c.scale)} times smaller: ${fmt(c.contactsPerYear * c.scale)} contacts a year, ${fmt(Math.max(1, Math.round(c.auditEventsPerDay * c.scale)))} audit events a day)`;
  const L = ['## 4. Report cost as data grows: a city, 10 cities and a region (100×), against a scan; the caseload and one day\'s audit verification', ''];
  L.push(`bench/report-cost.ts (${r.mode}: ${r.sizes.map((s) => `${fmt(s.contacts)} contacts`).join(', ')}; ${Math.round(r.durationSeconds)} s), in a process of its own with its own local environment: tables \`${PREFIX}*\` on a DynamoDB Local started for this benchmark alone (in memory), seeded as \`npm start\` seeds them (demo users, teams, champions, ${r.demoContacts} demo contacts counted by the aggregator).`, '');
  L.push(`- **Sizes.** The city is docs/DEPLOY.md's: 60 champions, ${fmt(c.contactsPerYear)} contacts and ${fmt(c.escalationsPerYear)} escalations a year, and ${fmt(c.auditEventsPerDay)} audit events a day (15,000 API requests a month, 70% of them audited reads, plus the audited writes: (15,000 × 0.7 + (5,000 + 500 × 5) / 12) / (365 / 12))${scaled}. Each size holds ${c.years} years of every city's data; the steps are ${r.sizes.map((s) => cityLabel(s.cities)).join(', ')} (the region is 100× the city's yearly volume, ${c.years} years of it). The first city is the demo's two teams (its active champions log the contacts); every further city is ${c.teams} teams of its own (copies of the demo's teams and champions, with ids of their own): a region is more teams, not bigger ones, so supervisor-a's team holds the same data at every size, and the commissioner's breakdown by team grows from 2 rows to ${2 * last.cities}.`);
  L.push(`- **Data.** Contacts are written straight to the case table with BatchWriteItem (25 a request, ${r.seedConcurrency} requests in flight, unprocessed items retried), cumulatively: each size adds to the one before. Each is the item the contacts store writes (its own \`contactItem\` and \`retentionExpiry\`, checked with \`contactConsistency\`), fields drawn from the taxonomies of shared/domain, dated over the ${c.years} years up to today, spread over the active champions of its city's teams and the strands each serves; a person has 1–3 contacts under one contact reference; 1% are deleted. A tenth of the active contacts (the city's 500 escalations for 5,000 contacts) raise an escalation, built by the domain's own \`raiseEscalation\` and written as the store writes it (\`escalationItem\`); one raised more than ${OPEN_FOR_DAYS} days ago was withdrawn a day later, so a team has only its last two weeks' escalations open. Signposting, reference and journey items are not written, so the scan reads a smaller table than a real one with as many contacts.`);
  L.push(`- **Counters.** The case table's stream is off during the bulk load, or the aggregator would count every contact again (and replaying a million stream records would take hours). The counters are built with the rebuild tool's arithmetic instead (\`contributions\`, \`sumContributions\`, \`distinctCounters\` of shared/domain/metrics.ts, as scripts/reports-rebuild.ts uses them) and written as its repair writes them (UpdateItem \`ADD n\` on \`keys.counter\`), once per size. At ${fmt(r.rebuildCheck.contacts)} contacts, \`reports:rebuild\` in check mode (\`reconcile\`) recomputed them from all ${fmt(r.rebuildCheck.sourceRecords)} records of the case table: ${r.rebuildCheck.counterDifferences} counter differences. It lists the ${fmt(r.rebuildCheck.referenceCountDifferences)} per-reference counts and journey items as missing (${r1(perContact)} per contact, which let the aggregator keep distinct references incrementally): the report never reads them, and they are not written.`);
  L.push(`- **Audit.** At each size, one day (a day of its own, 20 or more days back, with no events or digests before) gets that size's daily audit events (${r.sizes.map((s) => fmt(s.audit.events)).join(', ')}), built as the functions build them (\`buildAuditEvent\`, \`auditItem\`: supervisors' reads of case data, champions' contacts and lists, commissioners' reports) at times spread over its 24 hours, written with BatchWriteItem, then sealed hour by hour by the sealer's own \`sealHour\` (the audit table's stream is off meanwhile: a sealer fed them batch by batch would seal each hour at its first batch). The days of the smaller sizes stay in the table.`);
  L.push(`- **Report.** \`${r.requests[0]}\`, then the same with \`breakdown=team\` (every metric supporting the breakdown, per month, disclosure control applied), over HTTP through the local gateway as the commissioner, with Node\'s fetch (which asks for gzip, as a browser does, and is sent the report gzipped); a run is both requests. Its floor, alternated with it: \`GET /reports/definitions\` twice (same function, gateway and token check; no counters read). After seeding each size, the scheduled report protection runs once (column "scheduled protection": every metric's current and previous year protected and stored off the request path, as the hourly run does); the first report at the size (column "first report": the requests checked against the scan) then publishes the stored patterns; the timed runs are served from the patterns a warm instance remembers (docs/METRICS.md), as a commissioner\'s repeat views are. ${3 * WARMUP} warm-up runs on the demo data before seeding and ${WARMUP} at each size; stream delivery is held back while they are timed (in AWS the consumers run in functions of their own; the local poller\'s DescribeStream on a region\'s case table took about half a second of DynamoDB Local\'s time), and between runs, untimed, the stream consumers are drained.`);
  L.push(`- **Caseload.** \`GET /caseload\` as supervisor-a (team A's open escalations, follow-ups, training to renew, contacts per champion over 30 and 90 days), alternated with the report; its floor is one \`GET /reports/definitions\`. Checked at each size: its open escalations are the demo's plus those seeded open for team A, its contacts per champion over 30 and 90 days are the scan's, and both are the same as at the smallest size (no other team's or year's data shows), or the benchmark fails.`);
  L.push(`- **One day's audit verification.** \`verifyAuditRange\` (shared/store/audit-verify.ts) for the size's day (00:00–23:59 UTC), in the benchmark's process as \`npm run audit:verify\` runs it: the day's events hour by hour through the byHour index, the sealer's index, the digest store's listing and the digests concerned, then the pure check. POST /audit/verify runs the same function behind the gateway, whose function timeout (10 s here, 30 s in API Gateway) a region's day need not fit. ${VERIFY_RUNS} runs after an untimed one, each beside its floor: the sealer's chain head read in the same process (one Query). Checked at each size: no break, 24 hours and exactly the day's seeded events checked, or the benchmark fails. A region's day holds 100 times a city's events, and verifying it must read every one of them: its budget is per event checked (the verification grows with the day's events and nothing else, not with the years held or the other days).`);
  L.push("- **Scan**, the naive alternative to the report: a parallel Scan of the case table, every page, filtered to active contacts of the 12 months, projected to the fields needed and grouped in memory by month × strand and month × team. DynamoDB Local's scan slows sharply on large segments (one segment over 90k items took minutes), so it uses ⌈contacts / 2,000⌉ segments (at least 4, 24 in flight): that favours the scan. At each size the first scan is checked against the report: every figure of contacts, earlier help and distinct references, both breakdowns, every month and the totals, must equal the scan's or be suppressed, or the benchmark fails.", '');
  L.push(`Budget: at the largest size, the report and the caseload within ${r.budget.limit}× of their medians at the smallest, and one day's verification within ${r.budget.limit}× per event checked; the scan grows with the data.`, '');
  L.push(`| size | contacts | escalations | scheduled protection (ms) | first report (ms) | report median (ms) | p10–p90 | runs | × smallest | floor (ms) | report × floor | scan median (ms) | p10–p90 | runs (segments) | scan × report | figures equal / suppressed | seeding this size |`);
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const s of r.sizes) {
    L.push(`| ${cityLabel(s.cities)} | ${fmt(s.contacts)} | ${fmt(s.escalations)} | ${s.protectionRunMs === undefined ? '–' : fmt(s.protectionRunMs)} | ${fmt(s.firstReportMs)} | ${s.report.median} | ${s.report.p10}–${s.report.p90} | ${s.report.runs} | ${s.reportOverSmallest} | ${s.floor.median} | ${s.reportOverFloor} | ${fmt(s.scan.median)} | ${fmt(s.scan.p10)}–${fmt(s.scan.p90)} | ${s.scan.runs} (${s.scan.segments}) | ${fmt(s.scanOverReport)} | ${s.figuresMatched} / ${s.figuresSuppressed} | +${fmt(s.seed.added)} contacts in ${s.seed.seconds} s (${fmt(s.seed.perSecond)}/s); ${fmt(s.seed.counterUpdates)} counters in ${s.seed.counterSeconds} s |`);
  }
  L.push('', '| size | caseload median (ms) | p10–p90 | runs | × smallest | floor, one request (ms) | caseload × floor | open escalations / contacts in 90 days shown | audit day | events | sealed in (s) | verification median (ms) | p10–p90 | runs | × smallest | per event (ms) | per event × smallest | verification floor (ms) | verification × floor |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.sizes) {
    L.push(`| ${cityLabel(s.cities)} | ${s.caseload.median} | ${s.caseload.p10}–${s.caseload.p90} | ${s.caseload.runs} | ${s.caseloadOverSmallest} | ${s.floorOne.median} | ${s.caseloadOverFloor} | ${s.caseloadShown.openEscalations} / ${fmt(s.caseloadShown.contactsLast90Days)} | ${s.audit.day} | ${fmt(s.audit.events)} | ${s.audit.sealSeconds} | ${fmt(s.verify.median)} | ${fmt(s.verify.p10)}–${fmt(s.verify.p90)} | ${s.verify.runs} | ${s.verifyOverSmallest} | ${s.verifyPerEventMs} | ${s.verifyPerEventOverSmallest} | ${s.verifyFloor.median} | ${s.verifyOverFloor} |`);
  }
  L.push('', `${last.cities === 100 && first.cities === 1 ? 'Region ÷ city' : `${cityLabel(last.cities)} ÷ ${cityLabel(first.cities)}`} (${large} contacts against ${small}; ${fmt(last.audit.events)} audit events in the day against ${fmt(first.audit.events)}):`, '');
  for (const b of r.regionBudgets) L.push(`- **${b.operation}** (${b.measure}): ${b.ratio}× — ${b.met ? 'within' : '**over**'} the ${b.limit}× budget`);
  L.push('', `The scan grew ${r1(last.scan.median / first.scan.median)}× for ${fmt(last.contacts / first.contacts)}× the contacts; measured against its floor, the report at the largest size is ${r.budget.overFloorRatio}× the report at the smallest; the whole day's verification took ${last.verifyOverSmallest}× as long for ${r1(last.audit.events / first.audit.events)}× the events.`);
  L.push('', r.budget.met ? 'Every budget met.' : `Budget **missed**: ${r.regionBudgets.filter((b) => !b.met).map((b) => b.operation).join(', ')}.`);
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
