import { getConfig } from '../config';
import { metricById, type MetricId } from '../domain/metrics';
import { championRecordsDigest, counterReads, countersFor, metricsRead, rememberedByVersion, unrememberedSlots, yearsOf, type CounterInput, type ReportInputs, type ReportRequest } from '../domain/reports';
import { courseLookup } from '../domain/training';
import { readCounters } from './aggregates';
import { toChampion } from './champion-store';
import { readCountedTokens } from './counted-years';
import { allCourses } from './course-store';
import { keys } from './keys';
import { readProtections } from './protection-store';
import { queryAll } from './query';

const CHAMPION_METRICS: readonly MetricId[] = ['champions_trained', 'champions_current', 'champions_lapsed', 'contacts_per_active_champion'];

/**
 * Everything a report reads: first the years' counter tokens and, for the champion metrics, the champion records'
 * token (one consistent BatchGetItem, shared/store/counted-years.ts); then, for each counted metric (and what a ratio
 * is made of), one consistent Query per dimension (overall and every breakdown the metric has) and period kind kept,
 * over the whole calendar years the report touches — disclosure control is decided over all of a metric's tables at
 * once, so that no combination of them recovers a hidden figure; for the champion metrics, every champion (one Query
 * on gsi2) and the course catalogue (alongside); then the protections the scheduled report protection last stored for
 * those metrics' years (one BatchGetItem), which a report publishes as they are when its figures are the same, and
 * starts from when they are not. Nothing is read per contact, so the cost does not grow with the number of contacts.
 *
 * `read: 'unremembered'` (the reports a person asks for) leaves out what this instance already remembers built and
 * protected for the tokens just read (`rememberedByVersion`, `unrememberedSlots`): the counters of a metric whose
 * every year it remembers, the champions and courses when it remembers every champion metric's year, and the stored
 * pattern of every year it remembers. `read: 'everything'` (the scheduled protection, which compares every stored
 * pattern with the figures) reads it all.
 */
export async function readReportInputs(
  req: Pick<ReportRequest, 'metrics' | 'from' | 'to'>,
  today: string,
  options: { read: 'everything' | 'unremembered' } = { read: 'everything' },
): Promise<ReportInputs> {
  const counters = new Map<string, CounterInput[]>();
  const metrics = metricsRead(req.metrics);
  const years = yearsOf(req.from, req.to);
  const { threshold } = getConfig().disclosure;
  const counted = metrics.filter((m) => metricById(m)?.source === 'counters');
  const needChampions = metrics.some((m) => CHAMPION_METRICS.includes(m));
  // The tokens before the counters and champions: what is read after them holds every change up to them.
  const tokens = await readCountedTokens(years, needChampions);
  const { remembered, countersToRead, championsToRead } =
    options.read === 'unremembered'
      ? rememberedByVersion(metrics, years, tokens, threshold, today)
      : { remembered: new Map(), countersToRead: counted, championsToRead: needChampions };
  const [[championItems, courses]] = await Promise.all([
    championsToRead
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
    ...counterReads(countersToRead, req.from, req.to).map(async (r) => {
      counters.set(countersFor(r.metric, r.dim, r.periodKind), await readCounters(r.metric, r.dim, r.periodKind, r.from, r.to));
    }),
  ]);
  const champions = championItems.map(toChampion);
  const unread = new Set(metrics.filter((m) => (counted.includes(m) ? !countersToRead.includes(m) : !championsToRead)));
  const inputs: ReportInputs = { counters, champions, courses: courseLookup(courses), today, versions: tokens.years, remembered, unread };
  if (tokens.champions !== undefined) inputs.championsToken = tokens.champions;
  else if (championsToRead) inputs.championsDigest = championRecordsDigest(champions, courses);
  // The stored patterns of the years this instance does not already remember protected.
  const slots = options.read === 'everything' ? metrics.flatMap((metric) => years.map((year) => ({ metric, year }))) : unrememberedSlots(metrics, years, inputs, threshold);
  inputs.protections = await readProtections(slots, threshold);
  return inputs;
}
