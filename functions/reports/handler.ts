import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import { buildOutcomes, outcomeMonths, outcomesQuerySchema, targetsBodySchema, yearSchema } from '../../shared/domain/outcomes';
import { getTargets, getTargetsOf, putTargets } from '../../shared/store/targets-store';
import { todayUtc } from '../../shared/domain/dates';
import { DISCLOSURE_SOURCE } from '../../shared/domain/disclosure';
import { dimensionLabels, FIGURE_REVISIONS, metricDefinitions, periodKinds, successCriteria } from '../../shared/domain/metrics';
import { buildReport, reportCsvRows, reportQuerySchema, resolveReportRequest, toCsv, yearsOf, MAX_REPORT_MONTHS } from '../../shared/domain/reports';
import { outcomesSchema, reportDefinitionsSchema, reportSchema, yearTargetsSchema } from '../../shared/domain/report-views';
import { keptJsonReply } from '../../shared/http/kept-body';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { auditedRead } from '../../shared/store/audit';
import { readReportInputs } from '../../shared/store/report-store';

/** GET /reports/definitions — what every figure counts (derived from shared/domain/metrics.ts, as docs/METRICS.md is). */
const definitions = defineOperation({
  responses: { 200: { description: 'Every metric, its dimensions and periods, and the disclosure control applied', body: reportDefinitionsSchema } },
  async run() {
    const { threshold, roundingBase } = getConfig().disclosure;
    return {
      body: {
        metrics: metricDefinitions.map((m) => ({ ...m, dimensions: [...m.dimensions], series: [...m.series] })),
        dimensions: dimensionLabels,
        periods: [...periodKinds],
        maxMonths: MAX_REPORT_MONTHS,
        disclosure: { threshold, roundingBase, source: DISCLOSURE_SOURCE },
        revisions: FIGURE_REVISIONS,
      },
    };
  },
});

/**
 * GET /reports/metrics — figures for a range of periods under disclosure
 * control (commissioners always; admins unless they ask for unsuppressed
 * figures, which is checked through the policy and audited before anything
 * is read). JSON, or RFC 4180 CSV with `Accept: text/csv` or `format=csv`.
 */
const metrics = defineOperation({
  query: reportQuerySchema,
  responses: {
    200: {
      description: 'The figures, under disclosure control; gzipped (Content-Encoding: gzip) when Accept-Encoding allows it',
      body: reportSchema,
      alternatives: { 'text/csv': 'The same figures as RFC 4180 CSV (Accept: text/csv or format=csv), one figure per line' },
    },
  },
  async run({ query, request }) {
    const req = resolveReportRequest(query);
    const unsuppressed = query.unsuppressed === 'true';
    const entityId = `${req.from}/${req.to}/${req.period}/${req.breakdown}${unsuppressed ? '/unsuppressed' : ''}`;
    if (unsuppressed) await request.authorize('reports.readUnsuppressed', { entityType: 'report', entityId });
    const inputs = await auditedRead(
      request.scope,
      { action: unsuppressed ? 'reports.readUnsuppressed' : 'reports.read', entityType: 'report', entityId, ...(unsuppressed ? { reason: 'unsuppressed figures' } : {}) },
      readReportInputs(req, todayUtc(), { read: 'unremembered' }),
    );
    const report = buildReport(req, inputs, getConfig().disclosure, unsuppressed);
    const wantsCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(request.headers['accept'] ?? ''));
    // The report's JSON (`reportSchema`), serialised and gzipped once while the report is kept.
    if (!wantsCsv) return keptJsonReply(report, request.headers['accept-encoding']);
    return {
      rawBody: toCsv(reportCsvRows(report)),
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="waymark-${req.from}-${req.to}-${req.period}-${req.breakdown}.csv"`,
      },
    };
  },
});

/**
 * GET /reports/outcomes — the plan's three success criteria per quarter and year, against the targets an admin set,
 * with the change on the previous quarter and on the same quarter a year before; always under disclosure control.
 */
const outcomes = defineOperation({
  query: outcomesQuerySchema,
  responses: { 200: { description: 'Each success criterion per quarter and year: value, target and changes, under disclosure control', body: outcomesSchema } },
  async run({ query, request }) {
    const span = outcomeMonths(query);
    const [inputs, targets] = await auditedRead(
      request.scope,
      { action: 'reports.outcomes', entityType: 'report', entityId: `outcomes/${query.from}/${query.to}` },
      Promise.all([
        readReportInputs({ metrics: successCriteria.flatMap((c) => (c.people ? [c.metric, c.people.metric] : [c.metric])), ...span }, todayUtc(), { read: 'unremembered' }),
        getTargetsOf(yearsOf(query.from, query.to)),
      ]),
    );
    return { body: buildOutcomes(query, inputs, targets, getConfig().disclosure) };
  },
});

const yearParams = z.strictObject({ year: yearSchema });

/** GET /reports/targets/{year} — the targets of a year (version 0 and none when not set yet). */
const getYearTargets = defineOperation({
  params: yearParams,
  responses: { 200: { description: 'The targets of the year (version 0 and none when not set)', body: yearTargetsSchema } },
  async run({ params }) {
    return { body: await getTargets(params.year) };
  },
});

/** PUT /reports/targets/{year} — an admin sets the year's targets at the version read (audited). */
const putYearTargets = defineOperation({
  params: yearParams,
  body: targetsBodySchema,
  responses: { 200: { description: 'The targets, as set', body: yearTargetsSchema } },
  refusals: { 409: 'The targets have changed since they were read' },
  async run({ params, body, request }) {
    return { body: await putTargets(request.scope, params.year, body) };
  },
});

export const handler = createApiHandler({
  'GET /reports/definitions': definitions,
  'GET /reports/metrics': metrics,
  'GET /reports/outcomes': outcomes,
  'GET /reports/targets/{year}': getYearTargets,
  'PUT /reports/targets/{year}': putYearTargets,
});
