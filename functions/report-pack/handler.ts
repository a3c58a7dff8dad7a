import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import { todayUtc } from '../../shared/domain/dates';
import { metricDefinitions } from '../../shared/domain/metrics';
import { buildPack, packMonths, packQuerySchema } from '../../shared/domain/pack';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { auditRead } from '../../shared/store/audit';
import { readReportInputs } from '../../shared/store/report-store';
import { getTargetsOf } from '../../shared/store/targets-store';
import { writeWorkbook } from './xlsx';

/** GET /reports/pack?quarter=YYYY-Qn — the quarter's figures as an XLSX workbook, under disclosure control. */
const pack = defineOperation({
  query: packQuerySchema,
  responses: { 200: { description: 'The quarterly pack', body: z.string().check(z.describe('the XLSX workbook (binary; see the alternative media type)')), alternatives: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'An XLSX workbook: the success criteria, a sheet per metric, definitions, how suppression works' } } },
  async run({ query, request }) {
    await auditRead(request.scope, { action: 'reports.pack', entityType: 'report', entityId: `pack/${query.quarter}` });
    const span = packMonths(query.quarter);
    const [inputs, targets] = await Promise.all([
      readReportInputs({ metrics: metricDefinitions.map((m) => m.id), ...span }, todayUtc(), { read: 'unremembered' }),
      getTargetsOf([query.quarter.slice(0, 4)]),
    ]);
    const workbook = await writeWorkbook(buildPack(query.quarter, inputs, targets, getConfig().disclosure), `Waymark quarterly pack ${query.quarter}`);
    return {
      binaryBody: workbook,
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="waymark-pack-${query.quarter}.xlsx"`,
      },
    };
  },
});

export const handler = createApiHandler({
  'GET /reports/pack': pack,
});
