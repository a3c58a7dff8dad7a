/**
 * Where a region's first commissioner report spends its time: seeds the report-cost benchmark's contacts in memory
 * (no DynamoDB: the counters the rebuild tool's arithmetic gives), then protects every metric's linked set for the
 * last year as the reports function does (the first report of an instance: nothing remembered), timing each metric.
 * `npx tsx bench/protection-profile.ts --cities=100 --years=1 [--metric=time_to_escalation] [--counters=/tmp/c100.json]`;
 * with `node --cpu-prof --import tsx` for a profile. A region (100 cities) is 200 teams; seeding it takes about 2 minutes,
 * and `--counters` keeps the seeded counters for the next run. Champion metrics are left out (no champions are seeded).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addMonths, daysBetween, todayUtc } from '../shared/domain/dates';
import { DEFAULT_DISCLOSURE } from '../shared/domain/disclosure';
import { metricDefinitions, parseCellKey } from '../shared/domain/metrics';
import { buildReport, countersFor, resolveReportRequest, reportQuerySchema, type CounterInput, type ReportInputs } from '../shared/domain/reports';
import { contactBatches, type SeedState } from './report-cost';

// The seeding reads the configuration (calendar, service levels) but writes nothing: no table is named or touched.
for (const [k, v] of Object.entries({ CASE_TABLE_NAME: 'unused', AUDIT_TABLE_NAME: 'unused', JWT_ISSUER: 'http://unused', JWT_AUDIENCE: 'unused' })) process.env[k] ??= v;
const { values: a } = parseArgs({ options: { cities: { type: 'string', default: '100' }, years: { type: 'string', default: '3' }, metric: { type: 'string' }, counters: { type: 'string' } } });
const cities = Number(a.cities);
const years = Number(a.years);
const today = todayUtc();
const firstMonth = addMonths(today, -(12 * years - 1)).slice(0, 7);
const range = { first: `${firstMonth}-01`, days: daysBetween(`${firstMonth}-01`, today) + 1 };
const state: SeedState = { person: 0, taken: new Set(), deltas: new Map(), escalations: 0, open: new Map() };
const t0 = performance.now();
// `--counters=<file>`: kept there after seeding, and read from there when it exists (seeding a region takes minutes).
if (a.counters && existsSync(a.counters)) state.deltas = new Map(JSON.parse(readFileSync(a.counters, 'utf8')) as Array<[string, number]>);
else {
  for (const _ of contactBatches(Array.from({ length: cities }, (_, i) => i), 5_000 * years, range, state)) void _;
  if (a.counters) writeFileSync(a.counters, JSON.stringify([...state.deltas]));
}
console.log(`seeded ${cities} cities × ${years} years in memory: ${state.deltas.size} counters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const counters = new Map<string, CounterInput[]>();
for (const [k, n] of state.deltas) {
  const c = parseCellKey(k);
  const key = countersFor(c.metric, c.dim as never, c.periodKind);
  const list = counters.get(key) ?? [];
  list.push({ period: c.period, value: c.value, series: c.series, n });
  counters.set(key, list);
}
const inputs: ReportInputs = { counters, champions: [], courses: (() => undefined) as never, today };
const from = addMonths(today, -11).slice(0, 7);
const to = today.slice(0, 7);
const metrics = a.metric ? [a.metric] : metricDefinitions.map((m) => m.id).filter((m) => !m.startsWith('champions') && m !== 'contacts_per_active_champion');
for (const breakdown of ['strand', 'team'] as const) {
  for (const m of metrics) {
    const def = metricDefinitions.find((d) => d.id === m)!;
    if (!def.dimensions.includes(breakdown)) continue;
    const req = resolveReportRequest(reportQuerySchema.parse({ from, to, breakdown, metrics: m }));
    const t = performance.now();
    const report = JSON.stringify(buildReport(req, inputs, DEFAULT_DISCLOSURE, false));
    const seconds = ((performance.now() - t) / 1000).toFixed(2);
    console.log(`${breakdown} ${m}: ${seconds} s (${report.split('"suppressed":true').length - 1} figures of the report suppressed)`);
  }
}
