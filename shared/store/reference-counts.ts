import { journeyKey, parseJourneyKey, parseReferenceKey, referenceKey, type CounterDimension, type DistinctMetricId, type PeriodKind } from '../domain/metrics';
import { keys, type ItemKey } from './keys';

/**
 * The layout of the counts behind the distinct-reference metrics (contact
 * references, support network attendees). A reference count (`referenceKey`:
 * metric, breakdown dimension, value, period kind, period, reference) lives in
 * the item of its reference and period (`keys.referenceCounts`), as the
 * attribute `n:<metric>|<dimension>|<value>`; the item
 * also holds `v`, a version every write moves, which the aggregator's
 * conditional Put checks. The aggregator, the reconciliation and the rebuild
 * tool all read and write them through this module.
 */

export type Ledger = 'live' | 'retired';

const ENTRY_PREFIX = 'n:';

/** The item holding a reference count. */
export const referenceItemKey = (key: string, ledger: Ledger): ItemKey => keys.referenceCounts(parseReferenceKey(key), ledger);

/** The attribute of that item holding it. */
export const referenceAttribute = (key: string): string => {
  const r = parseReferenceKey(key);
  return `${ENTRY_PREFIX}${r.metric}|${r.dim}|${r.value}`;
};

/** The reference counts an item holds, by `referenceKey`, and the item's ledger (undefined: not a reference-counts item). */
export function referenceCountsOf(item: Record<string, unknown>): { ledger: Ledger; counts: Map<string, number> } | undefined {
  const pk = String(item['pk']);
  const ledger: Ledger = pk.startsWith('RETIRED#') ? 'retired' : 'live';
  const body = ledger === 'retired' ? pk.slice('RETIRED#'.length) : pk;
  if (!body.startsWith('REFS#')) return undefined;
  const [, periodKind, period, reference] = body.split('#') as [string, PeriodKind, string, string];
  const counts = new Map<string, number>();
  for (const [name, n] of Object.entries(item)) {
    if (!name.startsWith(ENTRY_PREFIX)) continue;
    const [metric, dim, value] = name.slice(ENTRY_PREFIX.length).split('|') as [DistinctMetricId, CounterDimension, string];
    counts.set(referenceKey({ metric, dim, value, periodKind, period, reference }), Number(n));
  }
  return { ledger, counts };
}

/** The item holding a journey entry (`journeyKey`), and the attribute holding it (`n:<entry>`). */
export const journeyItemKey = (key: string, ledger: Ledger): ItemKey => keys.journey(parseJourneyKey(key).reference, ledger);
export const journeyAttribute = (key: string): string => `${ENTRY_PREFIX}${parseJourneyKey(key).entry}`;
export const isJourneyItem = (pk: string): boolean => pk.replace(/^RETIRED#/, '').startsWith('JOURNEY#');

/** The journey entries an item holds, by `journeyKey`, and the item's ledger (undefined: not a journey item). */
export function journeyEntriesOf(item: Record<string, unknown>): { ledger: Ledger; entries: Map<string, number> } | undefined {
  const pk = String(item['pk']);
  if (!isJourneyItem(pk)) return undefined;
  const ledger: Ledger = pk.startsWith('RETIRED#') ? 'retired' : 'live';
  const reference = pk.replace(/^RETIRED#/, '').slice('JOURNEY#'.length);
  const entries = new Map<string, number>();
  for (const [name, n] of Object.entries(item)) if (name.startsWith(ENTRY_PREFIX)) entries.set(journeyKey(reference, name.slice(ENTRY_PREFIX.length)), Number(n));
  return { ledger, entries };
}
