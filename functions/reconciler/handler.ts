import { ukDate } from '../../shared/domain/dates';
import { WHOLE_HISTORY, yearsToReconcile } from '../../shared/domain/reconciliation';
import { describeErrorForLog, logger } from '../../shared/http/logger';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { emitBusinessMetric } from '../../shared/metrics/emit';
import { readReconciliationCursor, reconcileYear, saveReconciliationCursor, type YearReconciliation } from '../../shared/store/reconciliation';

/**
 * The scheduled reconciliation (daily; see docs/METRICS.md, "Reconciliation").
 * Recomputes the counters of the current year (and the previous one in
 * January) and of one older year, walking back a year per run, from the case
 * records; repairs every difference; emits how many it repaired
 * (`CountersRepaired`, alarmed when not 0: something dropped an update).
 * The same handler runs on one machine, on a timer and once at start.
 * With `{ detail: { scope: 'whole-history' } }` it covers every year, back to
 * three in a row with nothing in them (after an unclean stop; by hand after an
 * incident), and leaves the walk's cursor where it was.
 */
export interface ReconciliationSummary {
  years: Pick<YearReconciliation, 'year' | 'sourceRecords' | 'countersChecked' | 'referencesChecked' | 'repaired'>[];
  repaired: number;
}

const reconcileOrLog = async (year: string): Promise<YearReconciliation> => {
  try {
    return await reconcileYear(year, { repair: true });
  } catch (error) {
    logger.error('reconciliation of a year failed; the next run tries again', { ...describeErrorForLog(error), year });
    throw error;
  }
};

export async function handler(event?: unknown): Promise<ReconciliationSummary> {
  logger.resetKeys();
  const now = new Date();
  const results: YearReconciliation[] = [];
  if ((event as { detail?: { scope?: unknown } } | undefined)?.detail?.scope === WHOLE_HISTORY) {
    // Every year back to three empty ones in a row (a year's gap does not end the history).
    let empty = 0;
    for (let year = Number(ukDate(now).slice(0, 4)); year >= 1970 && empty < 3; year -= 1) {
      const result = await reconcileOrLog(String(year));
      results.push(result);
      // As the walk back judges it: a year with no counter, expected or stored, is empty (open escalations are read every year).
      empty = result.countersChecked === 0 ? empty + 1 : 0;
    }
  } else {
    const { recent, older } = yearsToReconcile(ukDate(now), await readReconciliationCursor());
    for (const year of [...recent, older]) results.push(await reconcileOrLog(year));
    const last = results.at(-1) as YearReconciliation;
    // A year with nothing in it is before the records began: start the walk back again from the year before last.
    await saveReconciliationCursor(last.countersChecked === 0 ? (recent[0] as string) : older, now);
  }
  const repaired = results.reduce((n, r) => n + r.repaired, 0);
  emitBusinessMetric(BUSINESS_METRICS.countersRepaired, repaired);
  const years = results.map(({ year, sourceRecords, countersChecked, referencesChecked, repaired: n }) => ({ year, sourceRecords, countersChecked, referencesChecked, repaired: n }));
  if (repaired > 0) logger.warn('reporting counters repaired: some counter updates had been lost', { years, repaired });
  else logger.info('reporting counters reconciled: no difference', { years });
  return { years, repaired };
}
