/**
 * Where a region's first commissioner report spends its time: seeds the report-cost benchmark's contacts in memory
 * (no DynamoDB: the counters the rebuild tool's arithmetic gives), then protects every metric's linked set for the
 * last twelve months' years as the scheduled report protection does from nothing, timing each metric and saying how
 * large its stored pattern is; with `--hour=<contacts>`, that many more contacts are logged today and each metric is
 * protected again from the stored pattern, as a report between two scheduled runs does.
 * `npx tsx bench/protection-profile.ts --cities=100 --years=1 [--metric=time_to_escalation] [--counters=/tmp/c100.json] [--hour=60]`;
 * with `node --cpu-prof --import tsx` for a profile. A region (100 cities) is 200 teams; seeding it takes about 2 minutes,
 * and `--counters` keeps the seeded counters for the next run. Champion metrics are left out (no champions are seeded).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { addMonths, daysBetween, todayUtc } from '../shared/domain/dates';
import { DEFAULT_DISCLOSURE } from '../shared/domain/disclosure';
import { metricById, metricIds, parseCellKey, type MetricDefinition, type MetricId } from '../shared/domain/metrics';
import { countersFor, linkedFigures, protectionSlot, protectYear, yearsOf, type CounterInput, type ReportInputs, type StoredProtection } from '../shared/domain/reports';
import { contactBatches, type SeedState } from './report-cost';

// The seeding reads the configuration (calendar, service levels) but writes nothing: no table is named or touched.
for (const [k, v] of Object.entries({ CASE_TABLE_NAME: 'unused', AUDIT_TABLE_NAME: 'unused', JWT_ISSUER: 'http://unused', JWT_AUDIENCE: 'unused' })) process.env[k] ??= v;
const { values: a } = parseArgs({ options: { cities: { type: 'string', default: '100' }, years: { type: 'string', default: '3' }, metric: { type: 'string' }, counters: { type: 'string' }, hour: { type: 'string' } } });
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
const inputsOf = (protections?: Map<string, StoredProtection>): ReportInputs => {
  const counters = new Map<string, CounterInput[]>();
  for (const [k, n] of state.deltas) {
    const c = parseCellKey(k);
    const key = countersFor(c.metric, c.dim as never, c.periodKind);
    const list = counters.get(key) ?? [];
    list.push({ period: c.period, value: c.value, series: c.series, n });
    counters.set(key, list);
  }
  return { counters, champions: [], courses: (() => undefined) as never, today, ...(protections ? { protections } : {}) };
};
const reportYears = yearsOf(addMonths(today, -11).slice(0, 7), today.slice(0, 7)); // a commissioner's last twelve months
const metrics = (a.metric ? [a.metric] : metricIds.filter((m) => !m.startsWith('champions') && m !== 'contacts_per_active_champion')) as MetricId[];
const { threshold } = DEFAULT_DISCLOSURE;

/** Protects each metric's years as a report of the last twelve months would; returns the patterns, as the scheduled run stores them. */
function protectAll(label: string, protections?: Map<string, StoredProtection>): Map<string, StoredProtection> {
  const inputs = inputsOf(protections);
  const out = new Map<string, StoredProtection>();
  for (const m of metrics) {
    const def = metricById(m) as MetricDefinition;
    const t = performance.now();
    let hidden = 0;
    let figures = 0;
    let bytes = 0;
    for (const year of reportYears) {
      const set = linkedFigures(def, inputs, year);
      const p = protectYear(def, year, set, threshold, protections?.get(protectionSlot(m, year)));
      out.set(protectionSlot(m, year), { digest: p.digest, hidden: [...p.hidden], computedAt: new Date().toISOString() });
      hidden += p.hidden.size;
      figures += set.values.size;
      bytes += gzipSync([...p.hidden].sort().join('\n')).byteLength;
    }
    console.log(`${label} ${m}: ${((performance.now() - t) / 1000).toFixed(2)} s (${hidden} of ${figures} figures hidden; stored pattern ${(bytes / 1024).toFixed(1)} KB gzipped)`);
  }
  return out;
}

const stored = protectAll('from nothing');
// `--hour=<contacts>`: that many more contacts logged today (spread over the cities), then each metric protected again
// as a report does between two scheduled runs: from the stored pattern.
if (a.hour) {
  for (const _ of contactBatches(Array.from({ length: cities }, (_, i) => i), Math.max(1, Math.round(Number(a.hour) / cities)), { first: today, days: 1 }, state)) void _;
  protectAll(`+${a.hour} contacts, from the stored pattern`, stored);
}
