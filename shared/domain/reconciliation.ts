import { REFERENCE_LEDGER_YEARS } from './retention';
import { distinctCounters, isJourneyCell, journeyCounters, metricById, metricDefinitions, monthsOfPeriod, parseCellKey, parseReferenceKey, periodKinds, type Contribution, type CounterDimension, type MetricId, type PeriodKind } from './metrics';

/**
 * Reconciliation of the reporting counters: what they should hold, recomputed
 * from the source records with the one rule the aggregator applies
 * (`contributions` in metrics.ts), compared with what they hold. Pure: the
 * store reads both sides, this decides the differences, the store repairs.
 *
 * Expected = what the source records contribute + what records removed by
 * TTL had contributed (the "retired" ledger), and each distinct-reference
 * counter = the number of references whose expected count is positive; the
 * journeys (entries joined under one reference) likewise, each journey-kept
 * counter being what the expected journeys imply (`journeyCells`).
 */

export interface Difference {
  kind: 'counter' | 'referenceCount' | 'journeyCount';
  /** `cellKey` of a counter, `referenceKey` of a reference count or `journeyKey` of a journey entry. */
  key: string;
  expected: number;
  actual: number;
}

/** What the Aggregates table holds for the cells being reconciled: live figures and the retired ledger. */
export interface StoredFigures {
  liveCounters: Map<string, number>;
  liveReferences: Map<string, number>;
  retiredCounters: Map<string, number>;
  retiredReferences: Map<string, number>;
  liveJourneys: Map<string, number>;
  retiredJourneys: Map<string, number>;
}

export interface ExpectedFigures {
  counters: Map<string, number>;
  references: Map<string, number>;
  journeys: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** The expected counters and reference counts: the source's contribution plus the retired ledger. */
export function expectedFigures(fromSource: Contribution, stored: Pick<StoredFigures, 'retiredCounters' | 'retiredReferences'> & Partial<Pick<StoredFigures, 'retiredJourneys'>>): ExpectedFigures {
  const references = new Map(fromSource.references);
  for (const [k, n] of stored.retiredReferences) add(references, k, n);
  const journeys = new Map(fromSource.journeys);
  for (const [k, n] of stored.retiredJourneys ?? []) add(journeys, k, n);
  const counters = new Map(fromSource.counters);
  for (const [k, n] of stored.retiredCounters) add(counters, k, n);
  for (const [k, n] of distinctCounters(references)) add(counters, k, n);
  for (const [k, n] of journeyCounters(journeys)) add(counters, k, n);
  return { counters, references, journeys };
}

/** Every key whose expected and stored values differ, sorted by key (a missing key is 0). */
export function differencesBetween(
  expected: Pick<ExpectedFigures, 'counters' | 'references'> & Partial<Pick<ExpectedFigures, 'journeys'>>,
  stored: Pick<StoredFigures, 'liveCounters' | 'liveReferences'> & Partial<Pick<StoredFigures, 'liveJourneys'>>,
): Difference[] {
  const out: Difference[] = [];
  const compare = (kind: Difference['kind'], want: Map<string, number>, have: Map<string, number>) => {
    for (const key of new Set([...want.keys(), ...have.keys()])) {
      const e = want.get(key) ?? 0;
      const a = have.get(key) ?? 0;
      if (e !== a) out.push({ kind, key, expected: e, actual: a });
    }
  };
  compare('counter', expected.counters, stored.liveCounters);
  compare('referenceCount', expected.references, stored.liveReferences);
  if (expected.journeys) compare('journeyCount', expected.journeys, stored.liveJourneys ?? new Map());
  return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

// ---- Scope: which years a scheduled run reconciles -------------------------

/**
 * A year is the unit of reconciliation: months, quarters and years of the
 * distinct-reference metric all fall inside it, so a year's source records
 * decide every counter of that year, and reading them costs what a year of
 * records costs, however long the history grows.
 */
export const periodYear = (period: string): string => period.slice(0, 4);

/**
 * Whether a period is settled: `REFERENCE_LEDGER_YEARS` have passed since it began. Every record of it has gone by
 * then (none is kept more than `CONTACT_YEARS_MAX` years), and its reference ledger may have expired (an item goes
 * `REFERENCE_LEDGER_YEARS` after its last change, which is no earlier than its first record's expiry, a year at
 * least after the period began).
 */
export function isSettledPeriod(period: string, today: string): boolean {
  const first = monthsOfPeriod(period)[0] ?? period;
  const months = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7));
  return months(today.slice(0, 7)) - months(first.slice(0, 7)) >= REFERENCE_LEDGER_YEARS * 12;
}

/**
 * The differences a reconciliation can decide. Distinct-reference and journey counters of a settled period are not
 * among them: their reference ledger has expired (nothing of the person is kept any longer), so they cannot be
 * recomputed, and they stand as counted.
 */
export function decidedDifferences(differences: readonly Difference[], today: string): Difference[] {
  return differences.filter((d) => {
    if (d.kind !== 'counter') return true;
    const cell = parseCellKey(d.key);
    return !(isSettledPeriod(cell.period, today) && (metricById(cell.metric)?.kind === 'distinct' || isJourneyCell(cell)));
  });
}

/** Restricts a contribution to the periods of one year. */
export function withinYear(c: Contribution, year: string): Contribution {
  const keep = (m: Map<string, number>, periodOfKey: (k: string) => string) => new Map([...m].filter(([k]) => periodYear(periodOfKey(k)) === year));
  return {
    counters: keep(c.counters, (k) => parseCellKey(k).period),
    references: keep(c.references, (k) => parseReferenceKey(k).period),
    // A journey spans years (signposted in one, attended in the next): it is not decided by one year's records.
    journeys: new Map(),
  };
}

/** The counter partitions a year's counters live in: every counted metric, overall and per breakdown, per period kind it keeps. */
export function counterPartitions(): { metric: MetricId; dim: CounterDimension; periodKind: PeriodKind }[] {
  return metricDefinitions
    .filter((m) => m.source === 'counters')
    .flatMap((m) =>
      (['all', ...m.dimensions] as CounterDimension[]).flatMap((dim) =>
        // Only distinct counts are kept per quarter and year (they do not add up from months); the rest per month.
        (m.kind === 'distinct' ? periodKinds : (['month'] as const)).map((periodKind) => ({ metric: m.id, dim, periodKind })),
      ),
    );
}

/**
 * The years a scheduled run reconciles: the current one (and the previous one in January, while
 * December's records are still being corrected), plus one older year, walking back one year per run
 * from `cursor` (the older year the last run took) until a year with nothing in it, then starting
 * again from the year before last. With records over N years, the whole history is checked every
 * N or so runs (days, on the daily schedule).
 */
/**
 * The reconciliation's event detail `{ scope: WHOLE_HISTORY }`: every year, from the current one back to
 * three in a row with nothing in them — after an unclean stop on one machine, or invoked by hand after an incident in AWS.
 */
export const WHOLE_HISTORY = 'whole-history';

export function yearsToReconcile(today: string, cursor: string | undefined): { recent: string[]; older: string } {
  const year = Number(today.slice(0, 4));
  const recent = today.slice(5, 7) === '01' ? [String(year), String(year - 1)] : [String(year)];
  const start = year - recent.length;
  const next = cursor === undefined ? start : Number(cursor) - 1;
  return { recent, older: String(next > start || next < 1970 ? start : next) };
}
