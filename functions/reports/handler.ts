import { getConfig } from '../../shared/config';
import { todayUtc } from '../../shared/domain/dates';
import { DISCLOSURE_SOURCE } from '../../shared/domain/disclosure';
import { dimensionLabels, metricDefinitions, periodKinds } from '../../shared/domain/metrics';
import { buildReport, reportCsvRows, reportQuerySchema, resolveReportRequest, toCsv, MAX_REPORT_MONTHS } from '../../shared/domain/reports';
import { reportDefinitionsSchema, reportSchema } from '../../shared/domain/report-views';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { auditRead } from '../../shared/store/audit';
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
      description: 'The figures, under disclosure control',
      body: reportSchema,
      alternatives: { 'text/csv': 'The same figures as RFC 4180 CSV (Accept: text/csv or format=csv), one figure per line' },
    },
  },
  async run({ query, request }) {
    const req = resolveReportRequest(query);
    const unsuppressed = query.unsuppressed === 'true';
    const entityId = `${req.from}/${req.to}/${req.period}/${req.breakdown}${unsuppressed ? '/unsuppressed' : ''}`;
    if (unsuppressed) await request.authorize('reports.readUnsuppressed', { entityType: 'report', entityId });
    await auditRead(request.scope, {
      action: unsuppressed ? 'reports.readUnsuppressed' : 'reports.read',
      entityType: 'report',
      entityId,
      ...(unsuppressed ? { reason: 'unsuppressed figures' } : {}),
    });
    const inputs = await readReportInputs(req, todayUtc());
    const report = buildReport(req, inputs, getConfig().disclosure, unsuppressed);
    const wantsCsv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(request.headers['accept'] ?? ''));
    if (!wantsCsv) return { body: report };
    return {
      rawBody: toCsv(reportCsvRows(report)),
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="waymark-${req.from}-${req.to}-${req.period}-${req.breakdown}.csv"`,
      },
    };
  },
});

export const handler = createApiHandler({ 'GET /reports/definitions': definitions, 'GET /reports/metrics': metrics });
