import * as z from 'zod/mini';
import { DISCLOSURE_SOURCE, isSuppressed, type DisclosureSettings, type Figure } from './disclosure';
import { dimensionLabels, metricDefinitions, monthsOfPeriod, type MetricDefinition } from './metrics';
import { buildOutcomes, type YearTargets } from './outcomes';
import { buildReport, resolveReportRequest, type ReportInputs } from './reports';

/**
 * The quarterly pack: the tables of one quarter as sheets — the three
 * success criteria first, then a sheet per metric (overall, then each
 * breakdown), the definitions, and how suppression works. Every figure is
 * the one the report API publishes for the same quarter (the same protected
 * figures), so the pack reveals nothing the API does not. Pure: rows of
 * cells; the reports function writes them as XLSX.
 */

export const packQuerySchema = z.strictObject({
  quarter: z.string().check(z.regex(/^20\d{2}-Q[1-4]$/, 'must be a quarter as YYYY-Qn')),
});

export type PackCell = string | number | null;
export interface PackSheet {
  name: string;
  /** The first row is the header. */
  rows: PackCell[][];
}

export const PACK_SUPPRESSED = 'suppressed';
const cell = (f: Figure | null | undefined): PackCell => (f === null || f === undefined ? null : isSuppressed(f) ? PACK_SUPPRESSED : f);

/** Excel limits sheet names to 31 characters, without []:*?/\ . */
const sheetName = (s: string) => s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/** The months a pack reads: the quarter's year and the year before (for the outcomes' changes). */
export const packMonths = (quarter: string) => ({ from: `${Number(quarter.slice(0, 4)) - 1}-01`, to: monthsOfPeriod(quarter).at(-1) as string });

export function buildPack(quarter: string, inputs: ReportInputs, targets: ReadonlyMap<string, YearTargets>, settings: DisclosureSettings): PackSheet[] {
  const months = monthsOfPeriod(quarter);
  const from = months[0] as string;
  const to = months.at(-1) as string;
  const outcomes = buildOutcomes({ from, to }, inputs, targets, settings);
  const sheets: PackSheet[] = [
    {
      name: 'Success criteria',
      rows: [
        ['criterion', 'quarter', 'value', 'target (quarter)', 'change on previous quarter', 'change on same quarter a year before', 'metric'],
        ...outcomes.criteria.map((c) => {
          const q = c.quarters[0];
          return [c.title, quarter, cell(q?.value), q?.target ?? null, q?.changeOnPrevious ?? null, q?.changeOnYearBefore ?? null, c.row ? `${c.metric} (${c.row.dimension} = ${c.row.value})` : c.metric];
        }),
      ],
    },
  ];
  for (const def of metricDefinitions) {
    const rows: PackCell[][] = [['breakdown', 'value', ...def.series.map((s) => s.label), ...(def.series.length > 1 && def.seriesAreExclusive ? ['Total'] : [])]];
    for (const breakdown of ['none', ...def.dimensions] as const) {
      const req = resolveReportRequest({ from, to, period: 'quarter', breakdown, metrics: def.id });
      const report = buildReport(req, inputs, settings, false);
      const period = report.metrics[0]?.periods[0];
      if (!period) continue;
      const label = breakdown === 'none' ? 'All' : dimensionLabels[breakdown];
      for (const r of [...period.rows, ...(period.total ? [period.total] : [])]) {
        rows.push([label, r.label, ...def.series.map((s) => cell(r.cells[s.id])), ...(r.total !== undefined ? [cell(r.total)] : [])]);
      }
    }
    sheets.push({ name: sheetName(def.id), rows });
  }
  sheets.push({
    name: 'Definitions',
    rows: [['metric', 'title', 'definition', 'counts', 'breakdowns', 'notes'], ...metricDefinitions.map((m: MetricDefinition) => [m.id, m.title, m.definition, m.counts, m.dimensions.join(', '), m.notes ?? null])],
  });
  sheets.push({
    name: 'Suppression',
    rows: [
      ['rule', 'explanation'],
      ['Source', DISCLOSURE_SOURCE],
      ['Threshold', `Counts from 1 to ${settings.threshold} are never published; they read "${PACK_SUPPRESSED}". 0 is published as 0.`],
      ['Rounding', settings.roundingBase > 1 ? `Other counts are rounded to the nearest ${settings.roundingBase}.` : 'Other counts are published as counted.'],
      ['Across tables', 'Months add up to quarters and quarters to years; breakdowns add up to the overall figure; series add up to a row\'s total. Every figure of a metric and year — every period level and every breakdown — is protected at once, and further figures are suppressed until no suppressed figure can be recovered by adding and subtracting any figures published anywhere (the API, this pack, the outcomes). So a suppressed figure here is suppressed everywhere it appears.'],
      ['Changes', 'A change on an earlier period is given only when both figures are published.'],
      ['Quarter', quarter],
    ],
  });
  return sheets;
}
