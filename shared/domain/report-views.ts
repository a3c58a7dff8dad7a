import * as z from 'zod/mini';
import { dimensions, periodKinds } from './metrics';

/**
 * What the reporting operations reply, as schemas: the API document shows
 * them, the test client checks every reply against them, and the web app
 * takes its types from them. The figures are built by reports.ts (whose
 * `Report` the reply's type must accept) from the definitions in metrics.ts.
 */

/** A published figure: a number, or suppressed by disclosure control. */
export const figureSchema = z.union([z.number(), z.object({ suppressed: z.literal(true) })]);
export type Figure = z.infer<typeof figureSchema>;

const seriesSchema = z.object({
  id: z.string(),
  label: z.string(),
  from: z.optional(z.number()).check(z.describe('distribution buckets: the lower bound, in the unit')),
  to: z.optional(z.number()).check(z.describe('...and the upper bound (absent: open-ended)')),
});

const quantileSchema = z.object({
  bucket: z.string(),
  estimate: z.number(),
  atLeast: z.boolean().check(z.describe('the quantile is in the open-ended last bucket: at least the estimate')),
});

export const reportRowSchema = z.object({
  value: z.string(),
  label: z.string(),
  cells: z.record(z.string(), z.nullable(figureSchema)),
  total: z.optional(figureSchema).check(z.describe("the row's total over its series")),
  median: z.optional(z.nullable(quantileSchema)).check(z.describe('distributions: estimated from the buckets; null when not published')),
  p90: z.optional(z.nullable(quantileSchema)),
});
export type ReportRowView = z.infer<typeof reportRowSchema>;

const kindSchema = z.enum(['count', 'distinct', 'distribution', 'ratio']);
const unitSchema = z.enum(['hours', 'days']);

/** `GET /reports/metrics` as JSON. */
export const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  period: z.enum(periodKinds),
  breakdown: z.enum([...dimensions, 'none']),
  disclosure: z.object({ applied: z.boolean(), threshold: z.number(), roundingBase: z.number(), source: z.string(), marker: z.string() }),
  definitions: z.string(),
  metrics: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: kindSchema,
      unit: z.optional(unitSchema),
      series: z.array(z.object({ id: z.string(), label: z.string() })),
      periods: z.array(z.object({ period: z.string(), rows: z.array(reportRowSchema), total: z.optional(reportRowSchema) })),
    }),
  ),
  omitted: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type ReportView = z.infer<typeof reportSchema>;

export const metricDefinitionSchema = z.object({
  id: z.string(),
  title: z.string(),
  definition: z.string(),
  counts: z.string(),
  briefFigure: z.number().check(z.int(), z.gte(1), z.lte(5)),
  source: z.enum(['counters', 'report-time']),
  kind: kindSchema,
  dimensions: z.array(z.enum(dimensions)),
  series: z.array(seriesSchema),
  unit: z.optional(unitSchema),
  seriesAreExclusive: z.boolean(),
  notes: z.optional(z.string()),
});
export type MetricDefinitionView = z.infer<typeof metricDefinitionSchema>;

/** `GET /reports/definitions`. */
export const reportDefinitionsSchema = z.object({
  metrics: z.array(metricDefinitionSchema),
  dimensions: z.record(z.string(), z.string()),
  periods: z.array(z.enum(periodKinds)),
  maxMonths: z.number().check(z.int()),
  disclosure: z.object({ threshold: z.number(), roundingBase: z.number(), source: z.string() }),
  revisions: z.string().check(z.describe('why a figure published for a past period can change (deletions and erasures, not expiry)')),
});
export type ReportDefinitions = z.infer<typeof reportDefinitionsSchema>;

/** One point of a success criterion (GET /reports/outcomes). */
export const outcomePointSchema = z.object({
  period: z.string(),
  value: figureSchema,
  target: z.nullable(z.number()),
  changeOnPrevious: z.nullable(z.number()),
  changeOnYearBefore: z.nullable(z.number()),
});

export const outcomesSchema = z.object({
  from: z.string(),
  to: z.string(),
  criteria: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      metric: z.string(),
      row: z.nullable(z.object({ dimension: z.string(), value: z.string() })),
      definition: z.string(),
      quarters: z.array(outcomePointSchema),
      years: z.array(outcomePointSchema),
      people: z.nullable(
        z.object({
          title: z.string(),
          metric: z.string(),
          row: z.object({ dimension: z.string(), value: z.string() }),
          definition: z.string(),
          quarters: z.array(z.object({ period: z.string(), value: figureSchema })),
          years: z.array(z.object({ period: z.string(), value: figureSchema })),
        }),
      ),
    }),
  ),
  disclosure: z.object({ applied: z.literal(true), threshold: z.number(), roundingBase: z.number() }),
  definitions: z.string(),
});

export const yearTargetsSchema = z.object({
  year: z.string(),
  targets: z.record(z.string(), z.number()),
  version: z.number(),
  updatedAt: z.optional(z.string()),
  updatedBy: z.optional(z.string()),
});
