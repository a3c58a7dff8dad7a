import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { ruleMessages } from './messages';
import type { Champion } from './champions';
import { DISCLOSURE_SOURCE, isSuppressed, protectLinked, roundCount, SUPPRESSED, type DisclosureSettings, type Figure, type LinkedLine } from './disclosure';
import {
  ALL,
  dimensionTaxonomy,
  dimensionValue,
  dimensionValueLabel,
  dimensions,
  metricById,
  metricDefinitions,
  monthsOfPeriod,
  MONTH_PATTERN,
  OVERLAPPING_DIMENSIONS,
  periodEnd,
  periodKinds,
  periodOf,
  quantileFromBuckets,
  type Dimension,
  type MetricDefinition,
  type MetricId,
  type PeriodKind,
  type Quantile,
} from './metrics';
import { EARLIEST_DATE, fromNotAfterTo, isPlausibleDate, LATEST_DATE } from './dates';
import { strandTraining, type CourseLookup, type CourseValidity } from './training';

/**
 * A report: the figures of some metrics, for a range of periods, optionally
 * broken down by one dimension, with disclosure control applied to every
 * figure (unless an admin asked otherwise, which is audited). Pure: the
 * handler reads the counters and champion records and hands them in.
 */

/** The longest range one report may cover. */
export const MAX_REPORT_MONTHS = 24;

const month = z.string().check(z.regex(MONTH_PATTERN, 'must be a month as YYYY-MM'), z.refine(isPlausibleDate, `must be between ${EARLIEST_DATE.slice(0, 7)} and ${LATEST_DATE.slice(0, 7)}`));

export const reportQuerySchema = z
  .strictObject({
    from: month.check(z.describe('first month of the range (YYYY-MM); widened to the start of its quarter or year when period asks for one')),
    to: month.check(z.describe('last month of the range (YYYY-MM); widened to the end of its quarter or year')),
    period: z._default(z.enum(periodKinds), 'month'),
    breakdown: z._default(z.enum(['none', ...dimensions]), 'none'),
    metrics: z
      .optional(z.string().check(z.maxLength(1000)))
      .check(z.describe('comma-separated metric ids (default: every metric that supports the breakdown)')),
    format: z.optional(z.enum(['json', 'csv'])).check(z.describe('csv: the same report as RFC 4180 CSV (or send Accept: text/csv)')),
    unsuppressed: z
      .optional(z.enum(['true', 'false']))
      .check(z.describe('admins only, and audited: figures without disclosure control. Commissioners are refused (403).')),
  })
  .check(fromNotAfterTo(), z.superRefine((q, ctx) => {
    const span = (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4))) * 12 + Number(q.to.slice(5, 7)) - Number(q.from.slice(5, 7)) + 1;
    if (span > MAX_REPORT_MONTHS) ctx.addIssue({ code: 'custom', path: ['to'], message: ruleMessages.rangeTooLong(`${MAX_REPORT_MONTHS - 1} months`) });
    if (q.metrics !== undefined) {
      for (const id of q.metrics.split(',').map((s) => s.trim()).filter(Boolean)) {
        const def = metricById(id);
        if (!def) ctx.addIssue({ code: 'custom', path: ['metrics'], message: 'Select figures from the list: one of them is not a Waymark figure' });
        else if (q.breakdown !== 'none' && !def.dimensions.includes(q.breakdown as Dimension)) {
          ctx.addIssue({ code: 'custom', path: ['metrics'], message: `${def.title} cannot be broken down that way: choose another breakdown, or leave it out` });
        }
      }
    }
  }));
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export interface ReportRequest {
  from: string;
  to: string;
  period: PeriodKind;
  breakdown: Dimension | 'none';
  metrics: MetricId[];
  omitted: Array<{ id: MetricId; reason: string }>;
  periods: string[];
}

/** Resolves a validated query: the whole periods it covers and the metrics it reports. */
export function resolveReportRequest(q: ReportQuery): ReportRequest {
  const breakdown = q.breakdown as Dimension | 'none';
  const asked = q.metrics?.split(',').map((s) => s.trim()).filter(Boolean) as MetricId[] | undefined;
  const wanted = asked && asked.length > 0 ? metricDefinitions.filter((m) => asked.includes(m.id)) : metricDefinitions;
  const supported = wanted.filter((m) => breakdown === 'none' || m.dimensions.includes(breakdown));
  const omitted = wanted
    .filter((m) => !supported.includes(m))
    .map((m) => ({ id: m.id, reason: `not available by ${breakdown}` }));
  const periods = [...new Set(monthsBetweenInclusive(q.from, q.to).map((m) => periodOf(q.period, m)))];
  const months = periods.flatMap(monthsOfPeriod);
  return { from: months[0] as string, to: months.at(-1) as string, period: q.period, breakdown, metrics: supported.map((m) => m.id), omitted, periods };
}

function monthsBetweenInclusive(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1; i <= Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1; i += 1) {
    out.push(`${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Counter rows for one metric, read for the report: per dimension (`all` and each breakdown) and period kind. */
export interface CounterInput {
  period: string;
  value: string;
  series: string;
  n: number;
}

export interface ReportInputs {
  /**
   * `${metric}|${dim}|${periodKind}` → counter rows over whole calendar years (months for summable metrics;
   * months, quarters and years for distinct ones), for every dimension of the metric: disclosure control is
   * decided over all of them at once, whatever the report shows.
   */
  counters: Map<string, CounterInput[]>;
  champions: readonly Champion[];
  courses: CourseLookup;
  today: string;
  /**
   * The protections last stored for the metrics and years read (`protectionSlot`): the scheduled report protection
   * (functions/report-protection) decides them off the request path. Absent: each set is protected from nothing.
   */
  protections?: ReadonlyMap<string, StoredProtection>;
  /**
   * Each year's counter token as read before the counters (shared/store/counted-years.ts): what a warm instance
   * remembers a counted metric's year by (`rememberedYearKey`). A year without one is known by its rows' digest.
   */
  versions?: ReadonlyMap<string, string>;
  /**
   * The metrics' years this instance remembered built and protected for the tokens read, taken when the inputs were
   * read (`rememberedByVersion`): what they are built from may not have been read (`unread`).
   */
  remembered?: ReadonlyMap<string, RememberedYear>;
  /** The champion records' token as read first (shared/store/counted-years.ts): what the champion metrics' years are remembered by. */
  championsToken?: string;
  /** Metrics whose counters or champion records were not read, every year of them being in `remembered`. */
  unread?: ReadonlySet<MetricId>;
  /** Without a token: `championRecordsDigest` of the champions and courses read, what the champion metrics' years are remembered by. */
  championsDigest?: string;
}

/**
 * What the champion metrics are built from, as one SHA-256 digest: each champion's id, team, status, strands and
 * training completions (in id order), and each course's strands and validity — everything `championCounts` reads.
 */
export function championRecordsDigest(champions: readonly Champion[], courses: readonly CourseValidity[]): string {
  const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256')
    .update(
      JSON.stringify([
        byId(champions).map((c) => [c.id, c.teamId, c.status, c.strands, c.training.map((t) => [t.courseId, t.completedOn])]),
        byId(courses).map((c) => [c.id, c.strands, c.validityMonths]),
      ]),
    )
    .digest('hex');
}

/** A metric's year as a warm instance remembers it: its linked set and, once protected, the figures hidden. */
export interface RememberedYear {
  set: LinkedFigures;
  hidden?: ReadonlySet<string>;
}

/**
 * A linked set's hidden figures as stored: what they were decided for (`protectionDigest` of the set) and when. A
 * report whose set has the same digest publishes them as they are; one whose set has changed since (contacts logged
 * after the run) starts its protection from them — the rule still runs until the attacker recovers nothing, so the
 * figures are as safe as from nothing, and a region's protection takes seconds rather than minutes.
 */
export interface StoredProtection {
  digest: string;
  hidden: readonly string[];
  computedAt: string;
}

/** Where a metric's protection of a year is kept among `ReportInputs.protections`. */
export const protectionSlot = (metric: MetricId, year: string) => `${metric}|${year}`;

export const countersFor = (metric: MetricId, dim: Dimension | 'all', periodKind: PeriodKind = 'month') => `${metric}|${dim}|${periodKind}`;

/** The calendar years a range of months touches: disclosure control is decided a calendar year at a time. */
export const yearsOf = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y += 1) out.push(String(y).padStart(4, '0'));
  return out;
};

/** The counter reads a set of metrics needs for a range: each dimension, each period kind kept, whole years. */
export function counterReads(metrics: readonly MetricId[], from: string, to: string): Array<{ metric: MetricId; dim: Dimension | 'all'; periodKind: PeriodKind; from: string; to: string }> {
  const years = yearsOf(from, to);
  const first = years[0] as string;
  const last = years.at(-1) as string;
  const out: Array<{ metric: MetricId; dim: Dimension | 'all'; periodKind: PeriodKind; from: string; to: string }> = [];
  for (const metric of new Set(metrics)) {
    const def = metricById(metric);
    if (!def || def.source !== 'counters') continue;
    for (const { dim, periodKind } of counterSlices(def)) out.push({ metric, dim, periodKind, from: periodOf(periodKind, `${first}-01`), to: periodOf(periodKind, `${last}-12`) });
  }
  return out;
}

/**
 * The counter partitions a counted metric keeps, in order: the total (`all`) and each of its dimensions, each by the
 * period kinds it is counted in (a distinct count in every kind, since its quarters and years are not sums of
 * months; anything else by month).
 */
export function counterSlices(def: MetricDefinition): Array<{ dim: Dimension | 'all'; periodKind: PeriodKind }> {
  const kinds: readonly PeriodKind[] = def.kind === 'distinct' ? periodKinds : ['month'];
  return (['all', ...def.dimensions] as const).flatMap((dim) => kinds.map((periodKind) => ({ dim, periodKind })));
}

/** The metrics a report reads figures of: those asked for, and what a ratio is made of. */
export const metricsRead = (metrics: readonly MetricId[]): MetricId[] =>
  [...new Set(metrics.flatMap((m): MetricId[] => (m === 'contacts_per_active_champion' ? ['contacts', 'champions_current'] : [m])))];

export interface ReportRow {
  value: string;
  label: string;
  cells: Record<string, Figure | null>;
  /** The row's total over its series (metrics with more than one series). */
  total?: Figure;
  /** Distributions: estimated from the buckets (see the metric's notes); null when not published. */
  median?: Quantile | null;
  p90?: Quantile | null;
}

export interface ReportPeriod {
  period: string;
  /** One per breakdown value; with no breakdown, the single row is the whole. */
  rows: ReportRow[];
  /** With a breakdown: the figures over every value (not always the sum of the rows: a contact under both strands counts once here). */
  total?: ReportRow;
}

export interface ReportMetric {
  id: MetricId;
  title: string;
  kind: MetricDefinition['kind'];
  unit?: MetricDefinition['unit'];
  series: Array<{ id: string; label: string }>;
  periods: ReportPeriod[];
}

export interface Report {
  from: string;
  to: string;
  period: PeriodKind;
  breakdown: Dimension | 'none';
  disclosure: { applied: boolean; threshold: number; roundingBase: number; source: string; marker: string };
  definitions: string;
  metrics: ReportMetric[];
  omitted: Array<{ id: MetricId; reason: string }>;
}

/**
 * Breakdown values shown for a dimension: every value of its closed list, and of what else the counters hold
 * only "not recorded" and (for teams) team ids — never anything a person typed.
 */
export function rowValues(dim: Dimension, seen: Iterable<string>): string[] {
  const fixed: readonly string[] = dimensionTaxonomy[dim]?.values ?? [];
  const extra = [...new Set(seen)].filter((v) => !fixed.includes(v) && v !== ALL && dimensionValue(dim, v) === v).sort();
  return [...fixed, ...extra];
}

/** Champion figures on a date, per breakdown value (team or strand) and overall. */
export function championCounts(champions: readonly Champion[], courses: CourseLookup, on: string, breakdown: Dimension | 'none') {
  type Counts = { trained: number; current: number; lapsed: number };
  const out = new Map<string, Counts>();
  const bump = (key: string, k: keyof Counts) => {
    const c = out.get(key) ?? { trained: 0, current: 0, lapsed: 0 };
    c[k] += 1;
    out.set(key, c);
  };
  for (const ch of champions) {
    const byStrand = ch.strands.map((s) => strandTraining(ch.training, courses, s, on));
    const trainedAny = ch.training.some((t) => t.completedOn <= on);
    const currentAny = ch.status === 'active' && byStrand.some((t) => t.status === 'current' || t.status === 'expiring');
    const lapsedAny = !byStrand.some((t) => t.status === 'current' || t.status === 'expiring') && byStrand.some((t) => t.status === 'lapsed');
    const overallKeys = [ALL, ...(breakdown === 'team' ? [ch.teamId] : [])];
    for (const key of overallKeys) {
      if (trainedAny) bump(key, 'trained');
      if (currentAny) bump(key, 'current');
      if (lapsedAny) bump(key, 'lapsed');
    }
    if (breakdown === 'strand') {
      for (const t of byStrand) {
        if (t.status !== 'never_trained') bump(t.strand, 'trained');
        if (ch.status === 'active' && (t.status === 'current' || t.status === 'expiring')) bump(t.strand, 'current');
        if (t.status === 'lapsed') bump(t.strand, 'lapsed');
      }
    }
  }
  return out;
}

/** `championCounts` of some inputs, kept with them: the three champion metrics' sets ask for the same counts. */
const championCountsKept = new WeakMap<ReportInputs, Map<string, ReturnType<typeof championCounts>>>();
function championCountsOf(inputs: ReportInputs, on: string, breakdown: Dimension | 'none') {
  const kept = championCountsKept.get(inputs) ?? new Map<string, ReturnType<typeof championCounts>>();
  championCountsKept.set(inputs, kept);
  const key = `${on}|${breakdown}`;
  let counts = kept.get(key);
  if (!counts) kept.set(key, (counts = championCounts(inputs.champions, inputs.courses, on, breakdown)));
  return counts;
}

const CHAMPION_FIELD: Partial<Record<MetricId, 'trained' | 'current' | 'lapsed'>> = {
  champions_trained: 'trained',
  champions_current: 'current',
  champions_lapsed: 'lapsed',
};

/** The key of one figure in a metric's linked set. */
export const figureKey = (dim: Dimension | 'all', value: string, period: string, series: string) => `${dim}|${value}|${period}|${series}`;
/** The row total's series (metrics whose series add up). */
export const TOTAL_SERIES = 'total';

/** Every period of a calendar year: its months, quarters and the year. */
const periodsOfYear = (year: string): string[] => [...monthsOfPeriod(year), ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`), year];

export interface LinkedFigures {
  values: Map<string, number>;
  lines: LinkedLine[];
  /** Row values per dimension (`all`: the single ALL). */
  rows: Map<Dimension | 'all', string[]>;
}

const seriesIdsOf = (def: MetricDefinition) => def.series.map((s) => (s.id === 'count' ? ALL : s.id));
const multiSeries = (def: MetricDefinition) => def.series.length > 1 && def.seriesAreExclusive;

/**
 * One metric's figures for one calendar year, as one linked set: every dimension (and the overall figure), every
 * month, quarter and the year, every series and row total — and the lines that add up: series to the row total,
 * breakdown values to the overall figure, months to their quarter and quarters to the year. Disclosure control is
 * decided over this whole set, so a figure hidden in one table is hidden in every table that shows it, and no
 * combination of published tables recovers it.
 *
 * Only sums that hold are lines — the sums an attacker could use. Distinct counts (a reference once per period) do
 * not add up across periods, so their sets have no period lines; breakdowns whose rows overlap (a contact about both
 * strands counts in each) have no line to the overall figure. A sum that does not hold is no help to an attacker,
 * and as a line it made the protection hide far more than it needed (quarters of 150 hidden because a false line
 * "fixed" them). Champion figures are stocks on the period's last day: a quarter's figure is its last month's, so
 * those sets have no period lines and the identical figures get identical protection.
 */
export function linkedFigures(def: MetricDefinition, inputs: ReportInputs, year: string): LinkedFigures {
  const series = seriesIdsOf(def);
  const multi = multiSeries(def);
  const dims: Array<Dimension | 'all'> = ['all', ...def.dimensions];
  const periods = periodsOfYear(year);
  const values = new Map<string, number>();
  const rows = new Map<Dimension | 'all', string[]>();
  const addValue = (k: string, n: number) => n !== 0 && values.set(k, (values.get(k) ?? 0) + n);
  const field = CHAMPION_FIELD[def.id];
  if (field) {
    for (const period of periods) {
      const on = [periodEnd(period), inputs.today].sort()[0] as string;
      for (const dim of dims) {
        const counts = championCountsOf(inputs, on, dim === 'all' ? 'none' : dim);
        for (const [value, c] of counts) if (dim === 'all' ? value === ALL : value !== ALL) addValue(figureKey(dim, value, period, ALL), c[field]);
      }
    }
    for (const dim of def.dimensions) rows.set(dim, rowValues(dim, dim === 'team' ? inputs.champions.map((c) => c.teamId) : []));
  } else {
    const distinct = def.kind === 'distinct';
    for (const dim of dims) {
      const seen: string[] = [];
      for (const periodKind of distinct ? periodKinds : (['month'] as const)) {
        for (const r of inputs.counters.get(countersFor(def.id, dim, periodKind)) ?? []) {
          if (r.period.slice(0, 4) !== year) continue;
          const value = dim === 'all' ? ALL : r.value;
          if (dim !== 'all') {
            if (dimensionValue(dim, value) !== value) continue; // never a row from anything but the closed lists
            seen.push(value);
          }
          const s = r.series === 'count' ? ALL : r.series;
          if (!series.includes(s)) continue;
          const periodsOf = distinct ? [r.period] : [r.period, periodOf('quarter', r.period), year];
          for (const p of periodsOf) addValue(figureKey(dim, value, p, s), r.n);
        }
      }
      if (dim !== 'all') rows.set(dim, rowValues(dim, seen));
    }
  }
  rows.set('all', [ALL]);
  if (multi) {
    for (const [k, n] of [...values]) {
      const [dim, value, period] = k.split('|') as [Dimension | 'all', string, string];
      addValue(figureKey(dim, value, period, TOTAL_SERIES), n);
    }
  }
  const lines: LinkedLine[] = [];
  const seriesWithTotal = multi ? [...series, TOTAL_SERIES] : series;
  for (const dim of dims) {
    const dimRows = rows.get(dim) as string[];
    for (const period of periods) {
      for (const value of dimRows) {
        if (multi) lines.push({ members: series.map((s) => figureKey(dim, value, period, s)), total: figureKey(dim, value, period, TOTAL_SERIES) });
      }
      if (dim !== 'all' && !OVERLAPPING_DIMENSIONS.has(dim)) {
        for (const s of seriesWithTotal) lines.push({ members: dimRows.map((v) => figureKey(dim, v, period, s)), total: figureKey('all', ALL, period, s) });
      }
    }
    if (field || def.kind === 'distinct') continue;
    for (const value of dimRows) {
      for (const s of seriesWithTotal) {
        for (const q of [1, 2, 3, 4]) {
          const quarter = `${year}-Q${q}`;
          lines.push({ members: monthsOfPeriod(quarter).map((m) => figureKey(dim, value, m, s)), total: figureKey(dim, value, quarter, s) });
        }
        lines.push({ members: [1, 2, 3, 4].map((q) => figureKey(dim, value, `${year}-Q${q}`, s)), total: figureKey(dim, value, year, s) });
      }
    }
  }
  return { values, lines, rows };
}

/** A metric's published figures: raw counts, and the figure published for each (suppressed, rounded, or as counted). */
export interface MetricFigures {
  raw: (dim: Dimension | 'all', value: string, period: string, series: string) => number;
  figure: (dim: Dimension | 'all', value: string, period: string, series: string) => Figure;
  /** A row's figures for some series at once, raw and published: one key per figure (a region's report by team asks for some 300,000). */
  cells: (dim: Dimension | 'all', value: string, period: string, series: readonly string[]) => { raw: number[]; published: Figure[] };
  /** The rows of a breakdown over some periods: every value of its closed list, and every team seen. */
  rows: (dim: Dimension, periods: readonly string[]) => string[];
}

/** Figures already protected for a set of inputs (one report, or the tables of one pack): each metric once. */
const figuresCache = new WeakMap<ReportInputs, Map<string, MetricFigures>>();

export function metricFigures(def: MetricDefinition, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): MetricFigures {
  const cacheKey = `${def.id}|${settings.threshold}|${settings.roundingBase}|${unprotected}`;
  const cache = figuresCache.get(inputs) ?? new Map<string, MetricFigures>();
  figuresCache.set(inputs, cache);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const made = figuresOf(def, inputs, settings, unprotected);
  cache.set(cacheKey, made);
  return made;
}

/**
 * Which version of the protection rule decided a stored pattern: part of every digest, so patterns decided by an
 * earlier rule are decided again rather than trusted. Raise it whenever `protectLinked` or its attacker changes.
 */
export const PROTECTION_RULE_VERSION = 1;

/**
 * What decides a linked set's protection, as one SHA-256 digest: the rule's version, the metric, year and threshold,
 * its rows (which make its lines) and every value. Two sets share a digest only when they are the same set.
 */
export function protectionDigest(def: MetricDefinition, year: string, set: LinkedFigures, threshold: number): string {
  const values = [...set.values].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return createHash('sha256').update(JSON.stringify([PROTECTION_RULE_VERSION, def.id, year, threshold, [...set.rows], values])).digest('hex');
}

/**
 * The figures to hide in a linked set, remembered by its digest: a warm instance asked again for the same figures
 * (the commissioner's page, its outcomes, the pack, a reload) reuses the pattern instead of protecting again. A few
 * dozen sets are kept, the least recently used dropped first.
 */
const protectionMemo = new Map<string, ReadonlySet<string>>();
const PROTECTIONS_KEPT = 48;

/**
 * The figures a commissioner looks for first, for protection to publish again where a greedy pick hid them without
 * need: the overall row, the year before its quarters before its months, every series.
 */
function headlineFigures(def: MetricDefinition, year: string): string[] {
  const series = multiSeries(def) ? [TOTAL_SERIES, ...seriesIdsOf(def)] : seriesIdsOf(def);
  const periods = [year, ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`), ...monthsOfPeriod(year)];
  return periods.flatMap((p) => series.map((s) => figureKey('all', ALL, p, s)));
}

/**
 * A metric's year protected: its linked set's digest and the figures to hide. The stored pattern is published as it
 * is when it was decided for this very set; otherwise protection starts from it (`from`; nothing when absent).
 */
export function protectYear(def: MetricDefinition, year: string, set: LinkedFigures, threshold: number, stored?: StoredProtection): { digest: string; hidden: ReadonlySet<string> } {
  const digest = protectionDigest(def, year, set, threshold);
  const known = protectionMemo.get(digest);
  if (known) {
    protectionMemo.delete(digest);
    protectionMemo.set(digest, known);
    return { digest, hidden: known };
  }
  const hidden = stored?.digest === digest ? new Set(stored.hidden) : protectLinked(set.values, set.lines, threshold, headlineFigures(def, year), stored?.hidden ?? []);
  protectionMemo.set(digest, hidden);
  if (protectionMemo.size > PROTECTIONS_KEPT) protectionMemo.delete(protectionMemo.keys().next().value as string);
  return { digest, hidden };
}

/**
 * What a counted metric's year is built from, as one SHA-256 digest: its counter rows of that year as read (every
 * dimension and period kind) and the threshold. Undefined for the champion metrics, built from records. Hashing the
 * rows costs a small part of building the linked set and its digest, which a region's report did for every metric's
 * year on every request (about 250 ms of each); kept per inputs, as the report and `unrememberedSlots` both ask.
 */
const countedYearDigests = new WeakMap<ReportInputs, Map<string, string>>();
function countedYearDigest(def: MetricDefinition, inputs: ReportInputs, year: string, threshold: number): string | undefined {
  if (def.source !== 'counters') return undefined;
  const slot = `${protectionSlot(def.id, year)}|${threshold}`;
  const known = countedYearDigests.get(inputs) ?? new Map<string, string>();
  countedYearDigests.set(inputs, known);
  let digest = known.get(slot);
  if (digest === undefined) {
    const parts: string[] = [def.id, year, String(threshold)];
    for (const { dim, periodKind } of counterSlices(def)) {
      parts.push(`#${dim}|${periodKind}`);
      for (const r of inputs.counters.get(countersFor(def.id, dim, periodKind)) ?? []) if (r.period.startsWith(year)) parts.push(`${r.period}|${r.value}|${r.series}|${r.n}`);
    }
    digest = createHash('sha256').update(parts.join('\n')).digest('hex');
    known.set(slot, digest);
  }
  return digest;
}

/**
 * What identifies a metric's year's figures, with the metric and threshold: for a counted metric, the year's counter
 * token read before the counters, or, for a year with no token yet (its counters unchanged since tokens began), the
 * digest of its counter rows as read; for a champion metric, the champion records' token (or, with none yet, the
 * digest of the champions and courses read) and the day (a stock is counted on the period's last day, or today).
 * Undefined when the inputs carry none of these.
 */
function rememberedYearKey(def: MetricDefinition, inputs: ReportInputs, year: string, threshold: number): string | undefined {
  if (def.source !== 'counters') {
    if (inputs.championsToken !== undefined) return championsKey(def.id, year, threshold, inputs.today, inputs.championsToken);
    return inputs.championsDigest === undefined ? undefined : `${protectionSlot(def.id, year)}|${threshold}|${inputs.today}|d:${inputs.championsDigest}`;
  }
  const token = inputs.versions?.get(year);
  return token === undefined ? countedYearDigest(def, inputs, year, threshold) : tokenKey(def.id, year, threshold, token);
}
const tokenKey = (metric: MetricId, year: string, threshold: number, token: string) => `${protectionSlot(metric, year)}|${threshold}|${token}`;
const championsKey = (metric: MetricId, year: string, threshold: number, today: string, token: string) => `${protectionSlot(metric, year)}|${threshold}|${today}|c:${token}`;

/**
 * Metrics' years a warm instance has built and protected, by `rememberedYearKey`: a repeat report (the
 * commissioner's page by strand and then by team, its outcomes, the pack, a reload) whose years' tokens have not
 * moved reads neither their counters nor their stored patterns, and rebuilds no linked set. The least recently used
 * is dropped first. What the kept sets weigh in memory at a region's size was not measured.
 */
const yearsRemembered = new Map<string, RememberedYear>();
const YEARS_KEPT = 48;

function rememberedYear(key: string | undefined) {
  const y = key === undefined ? undefined : yearsRemembered.get(key);
  if (key !== undefined && y) {
    yearsRemembered.delete(key);
    yearsRemembered.set(key, y);
  }
  return y;
}

/**
 * The metrics' years remembered built and protected for the tokens just read (`rememberedYearKey`), taken into the
 * inputs before anything else is read (so a year dropped from the memo meanwhile, by another request in the same
 * process, is still there when the report is built); the counted metrics some year of which is not remembered, whose
 * counters must be read; and whether the champion records must be read (a champion metric's year not remembered).
 */
export function rememberedByVersion(
  metrics: readonly MetricId[],
  years: readonly string[],
  tokens: { years: ReadonlyMap<string, string>; champions?: string },
  threshold: number,
  today: string,
): { remembered: Map<string, RememberedYear>; countersToRead: MetricId[]; championsToRead: boolean } {
  const remembered = new Map<string, RememberedYear>();
  const countersToRead: MetricId[] = [];
  let championsToRead = false;
  for (const metric of metrics) {
    const counted = metricById(metric)?.source === 'counters';
    let all = true;
    for (const year of years) {
      const token = counted ? tokens.years.get(year) : tokens.champions;
      const key = token === undefined ? undefined : counted ? tokenKey(metric, year, threshold, token) : championsKey(metric, year, threshold, today, token);
      const y = key === undefined ? undefined : rememberedYear(key);
      if (key !== undefined && y?.hidden) remembered.set(key, y);
      else all = false;
    }
    if (all) continue;
    if (counted) countersToRead.push(metric);
    else championsToRead = true;
  }
  return { remembered, countersToRead, championsToRead };
}

/**
 * The slots (`protectionSlot`) of some metrics' years whose protection this instance does not remember for these
 * inputs: the only stored patterns a report needs to read.
 */
export function unrememberedSlots(metrics: readonly MetricId[], years: readonly string[], inputs: ReportInputs, threshold: number): Array<{ metric: MetricId; year: string }> {
  return metrics.flatMap((metric) => {
    const def = metricById(metric) as MetricDefinition;
    return years
      .filter((year) => {
        const key = rememberedYearKey(def, inputs, year, threshold);
        return !(key !== undefined && (inputs.remembered?.get(key) ?? rememberedYear(key))?.hidden);
      })
      .map((year) => ({ metric, year }));
  });
}

function figuresOf(def: MetricDefinition, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): MetricFigures {
  const years = new Map<string, { set: LinkedFigures; hidden: ReadonlySet<string> }>();
  const yearOf = (year: string) => {
    let y = years.get(year);
    if (!y) {
      const key = rememberedYearKey(def, inputs, year, settings.threshold);
      const known = key === undefined ? undefined : (inputs.remembered?.get(key) ?? rememberedYear(key));
      if (!known && inputs.unread?.has(def.id)) {
        // Never publish a year built from inputs that were not read (its figures would all be zero).
        throw new Error(`the inputs of ${def.id} were not read, and its year ${year} is not remembered`);
      }
      const remembered: RememberedYear = known ?? { set: linkedFigures(def, inputs, year) };
      if (!unprotected) remembered.hidden ??= protectYear(def, year, remembered.set, settings.threshold, inputs.protections?.get(protectionSlot(def.id, year))).hidden;
      if (key !== undefined && !yearsRemembered.has(key)) {
        yearsRemembered.set(key, remembered);
        if (yearsRemembered.size > YEARS_KEPT) yearsRemembered.delete(yearsRemembered.keys().next().value as string);
      }
      y = { set: remembered.set, hidden: unprotected ? new Set() : (remembered.hidden as ReadonlySet<string>) };
      years.set(year, y);
    }
    return y;
  };
  const raw = (dim: Dimension | 'all', value: string, period: string, series: string) => yearOf(period.slice(0, 4)).set.values.get(figureKey(dim, value, period, series)) ?? 0;
  const published = (y: { set: LinkedFigures; hidden: ReadonlySet<string> }, k: string): Figure => {
    if (y.hidden.has(k)) return SUPPRESSED;
    const n = y.set.values.get(k) ?? 0;
    return unprotected ? n : roundCount(n, settings.roundingBase);
  };
  return {
    raw,
    figure: (dim, value, period, series) => published(yearOf(period.slice(0, 4)), figureKey(dim, value, period, series)),
    cells(dim, value, period, series) {
      const y = yearOf(period.slice(0, 4));
      const prefix = figureKey(dim, value, period, '');
      const keys = series.map((s) => prefix + s);
      return { raw: keys.map((k) => y.set.values.get(k) ?? 0), published: keys.map((k) => published(y, k)) };
    },
    rows(dim, periods) {
      const all = new Set<string>();
      for (const year of new Set(periods.map((p) => p.slice(0, 4)))) for (const v of yearOf(year).set.rows.get(dim) ?? []) all.add(v);
      return rowValues(dim, all);
    },
  };
}

function quantiles(def: MetricDefinition, raw: number[], published: Figure | undefined, threshold: number, unprotected: boolean) {
  if (def.kind !== 'distribution') return {};
  const total = raw.reduce((a, b) => a + b, 0);
  const show = unprotected || (published !== undefined && !isSuppressed(published) && total > threshold);
  return {
    median: show ? quantileFromBuckets(def.series, raw, 0.5) : null,
    p90: show ? quantileFromBuckets(def.series, raw, 0.9) : null,
  };
}

/**
 * Reports a warm instance has built, by the request, the settings and what every metric's year it shows is
 * remembered by (`rememberedYearKey`): a repeat of the same report over the same figures (a reload; the commissioner's
 * page by strand and by team in turn) is not assembled again — a region's by team is 200 rows a period, some 300,000
 * figures. A few are kept, the least recently used dropped first; a report built from inputs without such keys is
 * not kept. Callers only read a report.
 */
const reportsBuilt = new Map<string, Report>();
const REPORTS_KEPT = 8;

function reportKey(req: ReportRequest, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): string | undefined {
  const years = yearsOf(req.from, req.to);
  const parts: string[] = [];
  for (const metric of metricsRead(req.metrics)) {
    for (const year of years) {
      const key = rememberedYearKey(metricById(metric) as MetricDefinition, inputs, year, settings.threshold);
      if (key === undefined) return undefined;
      parts.push(key);
    }
  }
  return JSON.stringify([req, settings, unprotected, parts]);
}

/** Assembles the report from counters and champion records; disclosure control on every figure unless `unprotected`. */
export function buildReport(req: ReportRequest, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): Report {
  const key = reportKey(req, inputs, settings, unprotected);
  const built = key === undefined ? undefined : reportsBuilt.get(key);
  if (key !== undefined && built) {
    reportsBuilt.delete(key);
    reportsBuilt.set(key, built);
    return built;
  }
  const report = assembleReport(req, inputs, settings, unprotected);
  if (key !== undefined) {
    reportsBuilt.set(key, report);
    if (reportsBuilt.size > REPORTS_KEPT) reportsBuilt.delete(reportsBuilt.keys().next().value as string);
  }
  return report;
}

function assembleReport(req: ReportRequest, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): Report {
  const figuresOf = new Map<MetricId, MetricFigures>();
  const figures = (id: MetricId): MetricFigures => {
    let f = figuresOf.get(id);
    if (!f) {
      f = metricFigures(metricById(id) as MetricDefinition, inputs, settings, unprotected);
      figuresOf.set(id, f);
    }
    return f;
  };
  const dim: Dimension | 'all' = req.breakdown === 'none' ? 'all' : req.breakdown;
  const label = (v: string) => (v === ALL ? 'All' : dimensionValueLabel(req.breakdown as Dimension, v));

  const metrics: ReportMetric[] = req.metrics.map((id) => {
    const def = metricById(id) as MetricDefinition;
    const series = seriesIdsOf(def);
    // The series asked of each row: the metric's, then the row total where its series add up.
    const asked = multiSeries(def) ? [...series, TOTAL_SERIES] : series;
    // Rows are the same for every period of a metric: every value of a closed list, plus every team seen.
    const rowIds = id === 'contacts_per_active_champion' ? [] : req.breakdown === 'none' ? [ALL] : figures(id).rows(req.breakdown, req.periods);
    const periods = req.periods.map((period): ReportPeriod => {
      if (id === 'contacts_per_active_champion') return ratioPeriod(req, period, figures('contacts'), figures('champions_current'));
      const f = figures(id);
      const row = (d: Dimension | 'all', value: string): ReportRow => {
        const got = f.cells(d, value, period, asked);
        const raw = got.raw.slice(0, series.length);
        const total = multiSeries(def) ? got.published[series.length] : undefined;
        const cells = Object.fromEntries(def.series.map((s, i) => [s.id, got.published[i] as Figure]));
        return {
          value,
          label: label(value),
          cells,
          ...(total !== undefined ? { total } : {}),
          ...quantiles(def, raw, total ?? (series.length === 1 ? (cells[def.series[0]?.id as string] as Figure) : undefined), settings.threshold, unprotected),
        };
      };
      const out: ReportPeriod = { period, rows: rowIds.map((v) => row(dim, v)) };
      if (req.breakdown !== 'none') out.total = row('all', ALL);
      return out;
    });
    return {
      id,
      title: def.title,
      kind: def.kind,
      ...(def.unit ? { unit: def.unit } : {}),
      series: def.series.map((s) => ({ id: s.id, label: s.label })),
      periods,
    };
  });

  return {
    from: req.from,
    to: req.to,
    period: req.period,
    breakdown: req.breakdown,
    disclosure: { applied: !unprotected, threshold: settings.threshold, roundingBase: settings.roundingBase, source: DISCLOSURE_SOURCE, marker: '{"suppressed":true}; in CSV: suppressed' },
    definitions: '/reports/definitions',
    metrics,
    omitted: req.omitted,
  };
}

/** Contacts per active champion: both figures as published, divided; suppressed when either is. */
function ratioPeriod(req: ReportRequest, period: string, contacts: MetricFigures, champions: MetricFigures): ReportPeriod {
  const ratio = (d: Dimension | 'all', v: string): Figure | null => {
    const c = contacts.figure(d, v, period, ALL);
    const m = champions.figure(d, v, period, ALL);
    if (isSuppressed(c) || isSuppressed(m)) return { suppressed: true };
    const rawM = champions.raw(d, v, period, ALL);
    if (rawM === 0) return null;
    return Math.round((contacts.raw(d, v, period, ALL) / rawM) * 10) / 10;
  };
  const label = (v: string) => (v === ALL ? 'All' : dimensionValueLabel(req.breakdown as Dimension, v));
  if (req.breakdown === 'none') return { period, rows: [{ value: ALL, label: 'All', cells: { ratio: ratio('all', ALL) } }] };
  const d = req.breakdown;
  const rowIds = rowValues(d, [...champions.rows(d, [period]), ...(metricById('contacts')?.dimensions.includes(d) ? contacts.rows(d, [period]) : [])]);
  return {
    period,
    rows: rowIds.map((v) => ({ value: v, label: label(v), cells: { ratio: ratio(d, v) } })),
    total: { value: ALL, label: 'All', cells: { ratio: ratio('all', ALL) } },
  };
}

// ---- CSV (RFC 4180) ------------------------------------------------------------

export const CSV_HEADER = ['metric', 'period', 'breakdown', 'breakdown_value', 'series', 'value', 'definition'] as const;
export const CSV_SUPPRESSED = 'suppressed';

export { csvField, neutraliseFormula, toCsv } from './csv';

const figureText = (f: Figure | null | undefined): string => (f === null || f === undefined ? '' : isSuppressed(f) ? CSV_SUPPRESSED : String(f));
const quantileText = (q: Quantile | null | undefined): string => (q ? `${q.atLeast ? '>=' : ''}${q.estimate}` : '');

/** The report as rows of strings (header first): one per figure. */
export function reportCsvRows(report: Report): string[][] {
  const rows: string[][] = [[...CSV_HEADER]];
  for (const m of report.metrics) {
    // The definition's own words: a spreadsheet cannot follow an API path (it would answer 401 without a token).
    const link = metricById(m.id)?.definition ?? m.title;
    for (const p of m.periods) {
      const emit = (r: ReportRow, breakdownValue: string) => {
        for (const s of m.series) rows.push([m.id, p.period, report.breakdown, breakdownValue, s.id, figureText(r.cells[s.id]), link]);
        if (r.total !== undefined) rows.push([m.id, p.period, report.breakdown, breakdownValue, 'total', figureText(r.total), link]);
        if (r.median !== undefined) rows.push([m.id, p.period, report.breakdown, breakdownValue, `median_${m.unit ?? ''}`, quantileText(r.median), link]);
        if (r.p90 !== undefined) rows.push([m.id, p.period, report.breakdown, breakdownValue, `p90_${m.unit ?? ''}`, quantileText(r.p90), link]);
      };
      for (const r of p.rows) emit(r, r.value === ALL ? 'all' : r.value);
      if (p.total) emit(p.total, 'all');
    }
  }
  return rows;
}

