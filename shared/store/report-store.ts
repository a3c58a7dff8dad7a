import { getConfig } from '../config';
import type { MetricId } from '../domain/metrics';
import { counterReads, countersFor, metricsRead, unrememberedSlots, yearsOf, type CounterInput, type ReportInputs, type ReportRequest } from '../domain/reports';
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
 * the course catalogue (with the counters); then the protections the scheduled report protection last stored for those
 * metrics' years (one BatchGetItem), which a report publishes as they are when its figures are the same, and starts
 * from when they are not — only for the years this instance does not already remember protected for these very
 * counters (`unrememberedSlots`), unless `storedPatterns: 'all'` (the scheduled protection, which compares them).
 * Nothing is read per contact, so the cost does not grow with the number of contacts.
 */
export async function readReportInputs(
  req: Pick<ReportRequest, 'metrics' | 'from' | 'to'>,
  today: string,
  options: { storedPatterns: 'all' | 'unremembered' } = { storedPatterns: 'unremembered' },
): Promise<ReportInputs> {
  const counters = new Map<string, CounterInput[]>();
  const metrics = metricsRead(req.metrics);
  const years = yearsOf(req.from, req.to);
  const needChampions = metrics.some((m) => CHAMPION_METRICS.includes(m));
  const [[championItems, courses]] = await Promise.all([
    needChampions
      ? Promise.all([
          queryAll({
            TableName: getConfig().caseTableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.allChampions().gsi2pk },
          }),
          allCourses(),
        ])
      : Promise.resolve([[], []] as const),
    ...counterReads(metrics, req.from, req.to).map(async (r) => {
      counters.set(countersFor(r.metric, r.dim, r.periodKind), await readCounters(r.metric, r.dim, r.periodKind, r.from, r.to));
    }),
  ]);
  const inputs: ReportInputs = { counters, champions: championItems.map(toChampion), courses: courseLookup(courses), today };
  // The stored patterns, once the counters say which years this instance does not already remember protected.
  const { threshold } = getConfig().disclosure;
  const slots = options.storedPatterns === 'all' ? metrics.flatMap((metric) => years.map((year) => ({ metric, year }))) : unrememberedSlots(metrics, years, inputs, threshold);
  inputs.protections = await readProtections(slots, threshold);
  return inputs;
}
