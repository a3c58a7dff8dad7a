import * as z from 'zod/mini';
import { ruleMessages } from './messages';
import type { Champion } from './champions';
import { DISCLOSURE_SOURCE, isSuppressed, protectTable, unprotectedTable, type CountTable, type DisclosureSettings, type Figure, type ProtectedTable } from './disclosure';
import {
  ALL,
  dimensionValueLabel,
  dimensions,
  metricById,
  metricDefinitions,
  monthsOfPeriod,
  MONTH_PATTERN,
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
import { settings, serviceKinds } from './taxonomies';
import { strands } from './strands';
import { EARLIEST_DATE, isPlausibleDate, LATEST_DATE } from './dates';
import { strandTraining, type CourseLookup } from './training';

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
  .check(z.superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: ruleMessages.toBeforeFrom });
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

/** Counter rows for one metric, read for the report: per dimension asked (`all` and the breakdown). */
export interface CounterInput {
  period: string;
  value: string;
  series: string;
  n: number;
}

export interface ReportInputs {
  /** `${metric}|${dim}` → counter rows (months for summable metrics; the report's periods for distinct ones). */
  counters: Map<string, CounterInput[]>;
  champions: readonly Champion[];
  courses: CourseLookup;
  today: string;
}

export const countersFor = (metric: MetricId, dim: Dimension | 'all') => `${metric}|${dim}`;

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

/** Breakdown values shown for a dimension: every value of a fixed taxonomy, and whatever else the counters hold. */
function rowValues(dim: Dimension, seen: Iterable<string>): string[] {
  const fixed: readonly string[] = dim === 'strand' ? strands : dim === 'setting' ? settings.values : dim === 'serviceKind' ? serviceKinds.values : [];
  const extra = [...new Set(seen)].filter((v) => !fixed.includes(v) && v !== ALL).sort();
  return [...fixed, ...extra];
}

interface Grid {
  rows: string[];
  series: string[];
  /** rows × series, raw counts. */
  cells: number[][];
  /** per series, raw, over all values (with a breakdown). */
  totals?: number[];
}

const sumIn = (rows: CounterInput[] | undefined, months: readonly string[], value: string, series: string): number =>
  (rows ?? []).reduce((s, r) => (months.includes(r.period) && r.value === value && r.series === series ? s + r.n : s), 0);

function countedGrid(def: MetricDefinition, req: ReportRequest, inputs: ReportInputs, period: string, rows: string[]): Grid {
  const series = def.series.map((s) => s.id === 'count' ? ALL : s.id);
  const months = def.kind === 'distinct' ? [period] : monthsOfPeriod(period);
  const dimRows = req.breakdown === 'none' ? undefined : inputs.counters.get(countersFor(def.id, req.breakdown));
  const allRows = inputs.counters.get(countersFor(def.id, 'all'));
  if (req.breakdown === 'none') {
    return { rows: [ALL], series, cells: [series.map((s) => sumIn(allRows, months, ALL, s))] };
  }
  return {
    rows,
    series,
    cells: rows.map((v) => series.map((s) => sumIn(dimRows, months, v, s))),
    totals: series.map((s) => sumIn(allRows, months, ALL, s)),
  };
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

const CHAMPION_FIELD: Partial<Record<MetricId, 'trained' | 'current' | 'lapsed'>> = {
  champions_trained: 'trained',
  champions_current: 'current',
  champions_lapsed: 'lapsed',
};

function championGrid(metric: MetricId, req: ReportRequest, inputs: ReportInputs, period: string, rows: string[]): Grid {
  const field = CHAMPION_FIELD[metric] as 'trained' | 'current' | 'lapsed';
  const on = [periodEnd(period), inputs.today].sort()[0] as string;
  const counts = championCounts(inputs.champions, inputs.courses, on, req.breakdown);
  const get = (k: string) => counts.get(k)?.[field] ?? 0;
  if (req.breakdown === 'none') return { rows: [ALL], series: [ALL], cells: [[get(ALL)]] };
  return { rows, series: [ALL], cells: rows.map((v) => [get(v)]), totals: [get(ALL)] };
}

function toCountTable(def: MetricDefinition, grid: Grid): CountTable {
  const multi = grid.series.length > 1 && def.seriesAreExclusive;
  const rowTotals = multi ? grid.cells.map((r) => r.reduce((a, b) => a + b, 0)) : undefined;
  const t: CountTable = { cells: grid.cells };
  if (rowTotals) t.rowTotals = rowTotals;
  if (grid.totals) {
    t.columnTotals = grid.totals;
    if (multi) t.grandTotal = grid.totals.reduce((a, b) => a + b, 0);
  }
  return t;
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

function buildPeriod(def: MetricDefinition, grid: Grid, table: ProtectedTable, breakdown: Dimension | 'none', settings: DisclosureSettings, unprotected: boolean): ReportPeriod {
  const seriesIds = def.series.map((s) => s.id);
  const row = (value: string, cells: Figure[], total: Figure | undefined, raw: number[]): ReportRow => ({
    value,
    label: value === ALL ? 'All' : dimensionValueLabel(breakdown as Dimension, value),
    cells: Object.fromEntries(seriesIds.map((id, i) => [id, cells[i] as Figure])),
    ...(total !== undefined ? { total } : {}),
    ...quantiles(def, raw, total ?? (cells.length === 1 ? cells[0] : undefined), settings.threshold, unprotected),
  });
  const rows = grid.rows.map((v, i) => row(v, table.cells[i] as Figure[], table.rowTotals?.[i], grid.cells[i] as number[]));
  const out: ReportPeriod = { period: '', rows };
  if (grid.totals && table.columnTotals) out.total = row(ALL, table.columnTotals, table.grandTotal, grid.totals);
  return out;
}

const protect = (t: CountTable, settings: DisclosureSettings, unprotected: boolean) => (unprotected ? unprotectedTable(t) : protectTable(t, settings));

/** Assembles the report from counters and champion records; disclosure control on every figure unless `unprotected`. */
export function buildReport(req: ReportRequest, inputs: ReportInputs, settings: DisclosureSettings, unprotected: boolean): Report {
  // Rows are the same for every period of a metric: every value of a fixed taxonomy, plus every value seen.
  const rowsFor = (metric: MetricId): string[] => {
    if (req.breakdown === 'none') return [ALL];
    if (CHAMPION_FIELD[metric] || metric === 'contacts_per_active_champion') {
      const seen = req.breakdown === 'team' ? inputs.champions.map((c) => c.teamId) : [];
      const contactRows = (inputs.counters.get(countersFor('contacts', req.breakdown)) ?? []).map((r) => r.value);
      return rowValues(req.breakdown, [...seen, ...(metric === 'contacts_per_active_champion' ? contactRows : [])]);
    }
    return rowValues(req.breakdown, (inputs.counters.get(countersFor(metric, req.breakdown)) ?? []).map((r) => r.value));
  };

  const gridOf = (metric: MetricId, period: string, rows: string[]): Grid =>
    CHAMPION_FIELD[metric] ? championGrid(metric, req, inputs, period, rows) : countedGrid(metricById(metric) as MetricDefinition, req, inputs, period, rows);

  const metrics: ReportMetric[] = req.metrics.map((id) => {
    const def = metricById(id) as MetricDefinition;
    const rows = rowsFor(id);
    const periods = req.periods.map((period): ReportPeriod => {
      if (id === 'contacts_per_active_champion') return ratioPeriod(req, period, rows, settings, unprotected, gridOf);
      const grid = gridOf(id, period, rows);
      const table = protect(toCountTable(def, grid), settings, unprotected);
      return { ...buildPeriod(def, grid, table, req.breakdown, settings, unprotected), period };
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

function ratioPeriod(
  req: ReportRequest,
  period: string,
  rows: string[],
  settings: DisclosureSettings,
  unprotected: boolean,
  gridOf: (metric: MetricId, period: string, rows: string[]) => Grid,
): ReportPeriod {
  const contactsDef = metricById('contacts') as MetricDefinition;
  const championsDef = metricById('champions_current') as MetricDefinition;
  const contacts = gridOf('contacts', period, rows);
  const champions = gridOf('champions_current', period, rows);
  const pc = protect(toCountTable(contactsDef, contacts), settings, unprotected);
  const pm = protect(toCountTable(championsDef, champions), settings, unprotected);
  const ratio = (c: Figure | undefined, m: Figure | undefined, rawC: number, rawM: number): Figure | null => {
    if (c === undefined || m === undefined || isSuppressed(c) || isSuppressed(m)) return { suppressed: true };
    if (rawM === 0) return null;
    return Math.round((rawC / rawM) * 10) / 10;
  };
  const label = (v: string) => (v === ALL ? 'All' : dimensionValueLabel(req.breakdown as Dimension, v));
  const out: ReportPeriod = {
    period,
    rows: contacts.rows.map((v, i) => ({
      value: v,
      label: label(v),
      cells: { ratio: ratio(pc.cells[i]?.[0], pm.cells[i]?.[0], contacts.cells[i]?.[0] ?? 0, champions.cells[i]?.[0] ?? 0) },
    })),
  };
  if (contacts.totals && champions.totals) {
    out.total = { value: ALL, label: 'All', cells: { ratio: ratio(pc.columnTotals?.[0], pm.columnTotals?.[0], contacts.totals[0] ?? 0, champions.totals[0] ?? 0) } };
  }
  return out;
}

// ---- CSV (RFC 4180) ------------------------------------------------------------

export const CSV_HEADER = ['metric', 'period', 'breakdown', 'breakdown_value', 'series', 'value', 'definition'] as const;
export const CSV_SUPPRESSED = 'suppressed';

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
export const csvField = (v: string): string => {
  const safe = neutraliseFormula(v);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * A cell a spreadsheet would run as a formula (`= + - @`, or a tab or carriage return before one) is given a leading
 * apostrophe, so that it is shown as text (OWASP's CSV injection advice). Names cannot start so (text.ts); this is
 * defence in depth for every cell, numbers excepted (a negative figure stays a number).
 */
export const neutraliseFormula = (v: string): string => (/^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v);

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

export const toCsv = (rows: readonly (readonly string[])[]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
