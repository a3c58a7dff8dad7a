import { getConfig } from '../config';
import { metricById, periodOf, type MetricId } from '../domain/metrics';
import { countersFor, type CounterInput, type ReportInputs, type ReportRequest } from '../domain/reports';
import { courseLookup } from '../domain/training';
import { readCounters } from './aggregates';
import { toChampion } from './champion-store';
import { allCourses } from './course-store';
import { keys } from './keys';
import { queryAll } from './query';

const CHAMPION_METRICS: readonly MetricId[] = ['champions_trained', 'champions_current', 'champions_lapsed', 'contacts_per_active_champion'];

/**
 * Everything a report reads: for each counted metric, one Query per
 * dimension (overall, and the breakdown) over the report's periods; for the
 * champion metrics, every champion (one Query on gsi2: champions are dozens)
 * and the course catalogue. Nothing is read per contact, so the cost does
 * not grow with the number of contacts.
 */
export async function readReportInputs(req: ReportRequest, today: string): Promise<ReportInputs> {
  const counters = new Map<string, CounterInput[]>();
  const counted = new Set<MetricId>(req.metrics.filter((m) => metricById(m)?.source === 'counters'));
  if (req.metrics.includes('contacts_per_active_champion')) counted.add('contacts');
  const dims = req.breakdown === 'none' ? (['all'] as const) : (['all', req.breakdown] as const);
  await Promise.all(
    [...counted].flatMap((metric) =>
      dims.map(async (dim) => {
        const distinct = metricById(metric)?.kind === 'distinct';
        const periodKind = distinct ? req.period : 'month';
        const from = distinct ? periodOf(req.period, req.from) : req.from;
        const to = distinct ? periodOf(req.period, req.to) : req.to;
        counters.set(countersFor(metric, dim), await readCounters(metric, dim, periodKind, from, to));
      }),
    ),
  );
  const needChampions = req.metrics.some((m) => CHAMPION_METRICS.includes(m));
  const [championItems, courses] = needChampions
    ? await Promise.all([
        queryAll({
          TableName: getConfig().caseTableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.allChampions().gsi2pk },
        }),
        allCourses(),
      ])
    : [[], []];
  return { counters, champions: championItems.map(toChampion), courses: courseLookup(courses), today };
}
