import { describe, expect, it } from 'vitest';
import { cellKey, referenceKey, type Contribution } from '../../shared/domain/metrics';
import { counterPartitions, decidedDifferences, differencesBetween, expectedFigures, isSettledPeriod, withinYear, yearsToReconcile } from '../../shared/domain/reconciliation';
import { CONTACT_YEARS_MAX, REFERENCE_LEDGER_YEARS } from '../../shared/domain/retention';
import { retryDelay } from '../../infra/local/stream-poller';

const counter = (period: string, metric: 'contacts' | 'contact_references' = 'contacts', periodKind: 'month' | 'quarter' | 'year' = 'month') =>
  cellKey({ metric, dim: 'all', value: '*', periodKind, period, series: '*' });
const ref = (period: string, reference: string, periodKind: 'month' | 'quarter' | 'year' = 'month') => referenceKey({ metric: 'contact_references', dim: 'all', value: '*', periodKind, period, reference });

describe('yearsToReconcile', () => {
  it('takes the current year, and the previous one too in January', () => {
    expect(yearsToReconcile('2026-12-02', undefined).recent).toEqual(['2026']);
    expect(yearsToReconcile('2027-01-31', undefined).recent).toEqual(['2027', '2026']);
    expect(yearsToReconcile('2027-02-01', undefined).recent).toEqual(['2027']);
  });

  it('walks one older year back per run from the cursor, starting at the year before the recent ones', () => {
    expect(yearsToReconcile('2026-06-01', undefined).older).toBe('2025');
    expect(yearsToReconcile('2026-06-01', '2025').older).toBe('2024');
    expect(yearsToReconcile('2026-06-01', '2021').older).toBe('2020');
    // A cursor at the current year (the walk reached an empty year) starts again.
    expect(yearsToReconcile('2026-06-01', '2026').older).toBe('2025');
    expect(yearsToReconcile('2027-01-10', '2027').older).toBe('2025');
    expect(yearsToReconcile('2027-01-10', '2026').older).toBe('2025');
  });
});

describe('expected figures and differences', () => {
  const source: Contribution = {
    counters: new Map([[counter('2026-03'), 2]]),
    references: new Map([[ref('2026-03', 'WM-A'), 2], [ref('2026-03', 'WM-B'), 1]]),
    journeys: new Map(),
  };

  it('adds the retired ledger, and counts a distinct reference where its count is positive', () => {
    const expected = expectedFigures(source, { retiredCounters: new Map([[counter('2026-03'), 5]]), retiredReferences: new Map([[ref('2026-03', 'WM-C'), 1]]) });
    expect(expected.counters.get(counter('2026-03'))).toBe(7);
    expect(expected.counters.get(counter('2026-03', 'contact_references'))).toBe(3);
    expect(expected.references.get(ref('2026-03', 'WM-C'))).toBe(1);
  });

  it('lists wrong, missing and stray keys, sorted, and nothing when they agree', () => {
    const expected = expectedFigures(source, { retiredCounters: new Map(), retiredReferences: new Map() });
    const stored = {
      liveCounters: new Map([[counter('2026-03'), 1], [counter('2026-03', 'contact_references'), 2], [counter('2026-04'), 4]]),
      liveReferences: new Map([[ref('2026-03', 'WM-A'), 2]]),
    };
    // Sorted by key (reference keys start with their dimension, counter keys with their metric).
    expect(differencesBetween(expected, stored)).toEqual([
      { kind: 'referenceCount', key: ref('2026-03', 'WM-B'), expected: 1, actual: 0 },
      { kind: 'counter', key: counter('2026-03'), expected: 2, actual: 1 },
      { kind: 'counter', key: counter('2026-04'), expected: 0, actual: 4 },
    ]);
    expect(differencesBetween(expected, { liveCounters: new Map(expected.counters), liveReferences: new Map(expected.references) })).toEqual([]);
  });

  it('keeps only a year\'s periods (months, quarters and the year itself)', () => {
    const c: Contribution = {
      counters: new Map([[counter('2025-12'), 1], [counter('2026-01'), 1]]),
      references: new Map([[ref('2026-Q1', 'WM-A', 'quarter'), 1], [ref('2026', 'WM-A', 'year'), 1], [ref('2025', 'WM-A', 'year'), 1]]),
      journeys: new Map(),
    };
    const kept = withinYear(c, '2026');
    expect([...kept.counters.keys()]).toEqual([counter('2026-01')]);
    expect([...kept.references.keys()].sort()).toEqual([ref('2026', 'WM-A', 'year'), ref('2026-Q1', 'WM-A', 'quarter')].sort());
  });

  it('settles a period once the reference ledger may have expired, and then leaves its distinct and journey counters as counted', () => {
    expect(REFERENCE_LEDGER_YEARS).toBeGreaterThan(CONTACT_YEARS_MAX);
    // Counted from the month a period begins: 2015 began 11 years and 11 months before 2026-12, its December 11
    // years before, its fourth quarter 11 years and 2 months before (but 10 years and 11 months before 2026-09).
    expect(isSettledPeriod('2015', '2026-12-02')).toBe(true);
    expect(isSettledPeriod('2015-12', '2026-12-02')).toBe(true);
    expect(isSettledPeriod('2015-Q4', '2026-12-02')).toBe(true);
    expect(isSettledPeriod('2015-Q4', '2026-09-30')).toBe(false);
    expect(isSettledPeriod('2016-01', '2026-12-31')).toBe(false);
    expect(isSettledPeriod('2016', '2026-12-02')).toBe(false);
    const journeyCell = cellKey({ metric: 'signposted_then_attended', dim: 'all', value: '*', periodKind: 'month', period: '2015-03', series: '*' });
    const differences = [
      { kind: 'counter' as const, key: counter('2015-03', 'contact_references'), expected: 0, actual: 4 },
      { kind: 'counter' as const, key: journeyCell, expected: 0, actual: 2 },
      { kind: 'counter' as const, key: counter('2015-03'), expected: 5, actual: 6 },
      { kind: 'counter' as const, key: counter('2016-03', 'contact_references'), expected: 0, actual: 4 },
    ];
    // A plain counter of a settled period is still decided (its retired ledger holds no reference); an unsettled
    // period's distinct counter too.
    expect(decidedDifferences(differences, '2026-12-02')).toEqual([differences[2], differences[3]]);
    expect(decidedDifferences(differences, '2020-01-01')).toEqual(differences);
  });

  it('reads every counted metric\'s partitions, and quarters and years only for distinct counts', () => {
    const partitions = counterPartitions();
    expect(new Set(partitions.filter((p) => p.periodKind !== 'month').map((p) => p.metric))).toEqual(new Set(['contact_references', 'support_network_attendees']));
    expect(partitions.some((p) => p.metric === 'contact_references' && p.periodKind === 'year')).toBe(true);
    expect(partitions.some((p) => p.metric === 'support_network_attendees' && p.periodKind === 'quarter' && p.dim === 'team')).toBe(true);
    expect(partitions.some((p) => p.metric === 'escalations_raised' && p.dim === 'all')).toBe(true);
    expect(partitions.some((p) => p.metric === 'champions_current')).toBe(false);
  });
});

describe('the local stream poller\'s backoff', () => {
  it('doubles from the base up to the cap, as Lambda backs off between retries', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => retryDelay(a, 1_000, 30_000))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});
