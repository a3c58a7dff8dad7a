import { getConfig } from '../config';
import type { MetricId } from '../domain/metrics';
import { counterReads, countersFor, metricsRead, yearsOf, type CounterInput, type ReportInputs, type ReportRequest } from '../domain/reports';
import { courseLookup } from '../domain/training';
import { readCounters } from './aggregates';
import { toChampion } from './champion-store';
import { allCourses } from './course-store';
import { keys } from './keys';
import { readProtections } from './protection-store';
import { queryAll } from './query';

const CHAMPION_METRICS: readonly MetricId[] = ['champions_trained', 'champions_current', 'champions_lapsed', 'contacts_per_active_champion'];

/**
 * Everything a report reads: for each counted metric (and what a ratio is made of), one Query per dimension
 * (overall and every breakdown the metric has) and period kind kept, over the whole calendar years the report
 * touches — disclosure control is decided over all of a metric's tables at once, so that no combination of them
 * recovers a hidden figure; for the champion metrics, every champion (one Query on gsi2: champions are dozens) and
 * the course catalogue; and the protections the scheduled report protection last stored for those metrics' years (one
 * BatchGetItem), which a report publishes as they are when its figures are the same, and starts from when they are not.
 * Nothing is read per contact, so the cost does not grow with the number of contacts.
 */
export async function readReportInputs(req: Pick<ReportRequest, 'metrics' | 'from' | 'to'>, today: string): Promise<ReportInputs> {
  const counters = new Map<string, CounterInput[]>();
  const metrics = metricsRead(req.metrics);
  const [protections] = await Promise.all([
    readProtections(metrics, yearsOf(req.from, req.to), getConfig().disclosure.threshold),
    ...counterReads(metrics, req.from, req.to).map(async (r) => {
      counters.set(countersFor(r.metric, r.dim, r.periodKind), await readCounters(r.metric, r.dim, r.periodKind, r.from, r.to));
    }),
  ]);
  const needChampions = metrics.some((m) => CHAMPION_METRICS.includes(m));
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
  return { counters, champions: championItems.map(toChampion), courses: courseLookup(courses), today, protections };
}
