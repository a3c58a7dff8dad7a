import { getConfig } from '../../shared/config';
import { todayUtc } from '../../shared/domain/dates';
import { metricById, metricIds, type MetricDefinition, type MetricId } from '../../shared/domain/metrics';
import { linkedFigures, metricsRead, protectionDigest, protectionSlot, protectYear } from '../../shared/domain/reports';
import { logger } from '../../shared/http/logger';
import { saveProtection } from '../../shared/store/protection-store';
import { readReportInputs } from '../../shared/store/report-store';

/**
 * The scheduled report protection (hourly; docs/METRICS.md, "Protection off the request path"). Decides disclosure
 * control for every metric's current and previous year and stores the hidden figures with the digest of the figures
 * they were decided for. A report whose figures are unchanged since publishes the stored pattern as it is; one whose
 * figures moved (contacts logged since) starts from it. A region's sparse year takes minutes to protect from nothing
 * and seconds from the last pattern, so the minutes are spent here, not while a commissioner waits.
 *
 * A set unchanged since its stored pattern is left alone. The first run of a day protects each changed set from
 * nothing, so figures hidden for yesterday's counts and needed no more are published again; the later runs of the day
 * start from the stored pattern. The same handler runs on one machine, on a timer and once at start.
 */
export interface ProtectionRun {
  metric: MetricId;
  year: string;
  outcome: 'unchanged' | 'from nothing' | 'from the stored pattern' | 'too large to keep';
  figures: number;
  hidden: number;
  seconds: number;
}

export async function handler(): Promise<{ runs: ProtectionRun[] }> {
  logger.resetKeys();
  const today = todayUtc();
  const thisYear = today.slice(0, 4);
  const years = [String(Number(thisYear) - 1).padStart(4, '0'), thisYear];
  const { threshold } = getConfig().disclosure;
  const runs: ProtectionRun[] = [];
  // Every metric's counters, the champions and the stored patterns read at once (the Queries in parallel).
  const metrics = metricsRead(metricIds);
  const inputs = await readReportInputs({ metrics, from: `${years[0]}-01`, to: `${thisYear}-12` }, today, { read: 'everything' });
  for (const metric of metrics) {
    const def = metricById(metric) as MetricDefinition;
    for (const year of years) {
      const started = performance.now();
      const set = linkedFigures(def, inputs, year);
      const stored = inputs.protections?.get(protectionSlot(metric, year));
      if (stored?.digest === protectionDigest(def, year, set, threshold)) {
        runs.push({ metric, year, figures: set.values.size, hidden: stored.hidden.length, outcome: 'unchanged', seconds: 0 });
        continue;
      }
      const fromStored = stored !== undefined && stored.computedAt.slice(0, 10) === today;
      const { digest, hidden } = protectYear(def, year, set, threshold, fromStored ? stored : undefined);
      const run = { metric, year, figures: set.values.size, hidden: hidden.size };
      const kept = await saveProtection(metric, year, threshold, { digest, hidden: [...hidden], computedAt: new Date().toISOString() });
      const seconds = Math.round(performance.now() - started) / 1000;
      runs.push({ ...run, outcome: !kept ? 'too large to keep' : fromStored ? 'from the stored pattern' : 'from nothing', seconds });
    }
  }
  const changed = runs.filter((r) => r.outcome !== 'unchanged');
  logger.info('report protection decided', { sets: runs.length, changed: changed.length, seconds: changed.reduce((s, r) => s + r.seconds, 0), runs: changed });
  if (runs.some((r) => r.outcome === 'too large to keep')) logger.warn('a protection pattern was too large to keep: reports start from the last one kept, or from nothing', { runs: runs.filter((r) => r.outcome === 'too large to keep') });
  return { runs };
}
