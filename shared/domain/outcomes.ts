import * as z from 'zod/mini';
import { isSuppressed, type DisclosureSettings, type Figure } from './disclosure';
import { ALL, metricById, MONTH_PATTERN, periodOf, successCriteria, successCriterionIds, type MetricDefinition, type SuccessCriterionId } from './metrics';
import { metricFigures, yearsOf, type ReportInputs } from './reports';

/**
 * The plan's three success criteria against their targets, per quarter and
 * year. Each value is the protected figure of the metric behind the criterion
 * (`successCriteria` in metrics.ts) — the same figure, with the same
 * protection, that every report and the pack publish — and each change is the
 * difference of two published figures, so it reveals nothing they do not.
 * Pure: the handler reads the counters and the targets.
 */

export const yearSchema = z.string().check(z.regex(/^20\d{2}$/, 'must be a year (20YY)'));

const target = z.number().check(z.int('must be a whole number'), z.minimum(0, 'must not be negative'), z.maximum(1_000_000, 'must be at most 1,000,000'));

export const targetsBodySchema = z.strictObject({
  version: z.number().check(z.int(), z.minimum(0), z.describe('the version of the targets read (0 when the year has none yet)')),
  targets: z
    .strictObject(Object.fromEntries(successCriterionIds.map((id) => [id, z.optional(target)])) as Record<SuccessCriterionId, z.ZodMiniOptional<typeof target>>)
    .check(z.describe('the target for the year of each criterion; a quarter\'s target is a quarter of it')),
});
export type TargetsBody = z.infer<typeof targetsBodySchema>;

export interface YearTargets {
  year: string;
  targets: Partial<Record<SuccessCriterionId, number>>;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

const month = z.string().check(z.regex(MONTH_PATTERN, 'must be a month as YYYY-MM'));
export const MAX_OUTCOME_MONTHS = 24;

export const outcomesQuerySchema = z
  .strictObject({
    from: month.check(z.describe('first month (YYYY-MM); widened to the start of its quarter')),
    to: month.check(z.describe('last month (YYYY-MM); widened to the end of its quarter')),
  })
  .check(z.superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    const span = (Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4))) * 12 + Number(q.to.slice(5, 7)) - Number(q.from.slice(5, 7)) + 1;
    if (span > MAX_OUTCOME_MONTHS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_OUTCOME_MONTHS} months after from (inclusive)` });
  }));
export type OutcomesQuery = z.infer<typeof outcomesQuerySchema>;

export interface OutcomePoint {
  period: string;
  value: Figure;
  /** The target for the period (a quarter: a quarter of the year's), null when none was set. */
  target: number | null;
  /** value − the previous period's value; null when either is suppressed. */
  changeOnPrevious: number | null;
  /** value − the same period a year before; null when either is suppressed. */
  changeOnYearBefore: number | null;
}

export interface CriterionOutcome {
  id: SuccessCriterionId;
  title: string;
  metric: string;
  row: { dimension: string; value: string } | null;
  definition: string;
  quarters: OutcomePoint[];
  years: OutcomePoint[];
  /** The distinct people behind the criterion (criterion 1: women shown by their reference cards), or null. */
  people: { title: string; metric: string; row: { dimension: string; value: string }; definition: string; quarters: PeoplePoint[]; years: PeoplePoint[] } | null;
}

/** A distinct count for one period, protected as that figure is wherever else it is published. */
export interface PeoplePoint {
  period: string;
  value: Figure;
}

export interface Outcomes {
  from: string;
  to: string;
  criteria: CriterionOutcome[];
  disclosure: { applied: true; threshold: number; roundingBase: number };
  definitions: string;
}

/** The quarters of a range (widened to whole quarters), in order. */
export function quartersOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y += 1) {
    for (let q = 1; q <= 4; q += 1) {
      const quarter = `${y}-Q${q}`;
      if (quarter >= periodOf('quarter', from) && quarter <= periodOf('quarter', to)) out.push(quarter);
    }
  }
  return out;
}

export const previousQuarter = (q: string): string => {
  const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
  return n === 1 ? `${y - 1}-Q4` : `${y}-Q${n - 1}`;
};
export const sameQuarterYearBefore = (q: string): string => `${Number(q.slice(0, 4)) - 1}-Q${q.slice(6)}`;

/** The months an outcomes request reads: its quarters, and the year before them (for the changes). */
export const outcomeMonths = (q: OutcomesQuery): { from: string; to: string } => ({ from: `${Number(q.from.slice(0, 4)) - 1}-01`, to: q.to });

const diff = (a: Figure, b: Figure): number | null => (isSuppressed(a) || isSuppressed(b) ? null : a - b);
const quarterTarget = (annual: number | undefined): number | null => (annual === undefined ? null : Math.round((annual / 4) * 10) / 10);

export function buildOutcomes(q: OutcomesQuery, inputs: ReportInputs, targets: ReadonlyMap<string, YearTargets>, settings: DisclosureSettings): Outcomes {
  const quarters = quartersOf(q.from, q.to);
  const years = yearsOf(q.from, q.to);
  const criteria = successCriteria.map((c): CriterionOutcome => {
    const def = metricById(c.metric) as MetricDefinition;
    const figures = metricFigures(def, inputs, settings, false);
    const row = c.row as { dimension: 'gender'; value: string } | undefined;
    const value = (period: string): Figure => (row ? figures.figure(row.dimension, row.value, period, ALL) : figures.figure('all', ALL, period, ALL));
    const annual = (year: string) => targets.get(year)?.targets[c.id];
    const people = c.people ? metricFigures(metricById(c.people.metric) as MetricDefinition, inputs, settings, false) : undefined;
    const peopleAt = (period: string): PeoplePoint => ({ period, value: people && c.people ? people.figure(c.people.row.dimension, c.people.row.value, period, ALL) : 0 });
    return {
      id: c.id,
      title: c.title,
      metric: c.metric,
      row: row ? { dimension: row.dimension, value: row.value } : null,
      definition: `/reports/definitions#${c.metric}`,
      quarters: quarters.map((period) => ({
        period,
        value: value(period),
        target: quarterTarget(annual(period.slice(0, 4))),
        changeOnPrevious: diff(value(period), value(previousQuarter(period))),
        changeOnYearBefore: diff(value(period), value(sameQuarterYearBefore(period))),
      })),
      years: years.map((period) => ({
        period,
        value: value(period),
        target: annual(period) ?? null,
        changeOnPrevious: diff(value(period), value(String(Number(period) - 1))),
        changeOnYearBefore: diff(value(period), value(String(Number(period) - 1))),
      })),
      people: c.people
        ? {
            title: c.people.title,
            metric: c.people.metric,
            row: { ...c.people.row },
            definition: `/reports/definitions#${c.people.metric}`,
            quarters: quarters.map(peopleAt),
            years: years.map(peopleAt),
          }
        : null,
    };
  });
  const first = quarters[0] as string;
  const last = quarters.at(-1) as string;
  return {
    from: `${first.slice(0, 4)}-${String((Number(first.slice(6)) - 1) * 3 + 1).padStart(2, '0')}`,
    to: `${last.slice(0, 4)}-${String(Number(last.slice(6)) * 3).padStart(2, '0')}`,
    criteria,
    disclosure: { applied: true, threshold: settings.threshold, roundingBase: settings.roundingBase },
    definitions: '/reports/definitions',
  };
}
