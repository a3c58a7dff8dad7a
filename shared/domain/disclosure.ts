/**
 * Disclosure control: the one place that decides which figures may be
 * published. Pure; every published count in the report API and its CSV goes
 * through `protectTable`.
 *
 * Defaults follow NHS Hospital Episode Statistics (HES) disclosure control
 * (NHS England, "Hospital Episode Statistics (HES) Analysis Guide", section on
 * the disclosure control rules / "HES Disclosure Control"): 0 is shown as 0,
 * counts from 1 to 7 are suppressed, and other counts may optionally be
 * rounded to the nearest 5. Configuration: DISCLOSURE_THRESHOLD (default 7)
 * and DISCLOSURE_ROUNDING_BASE (default 0 = not rounded; 5 for the HES option).
 * There is no way for a commissioner to turn it off; only an admin may read
 * unsuppressed figures, and that read is audited.
 *
 * Figures are protected as linked sets: every figure of a metric and year
 * (each period level, each breakdown and the overall figure they share, each
 * series and row total) with the "lines" that add up (members to a total).
 * `protectLinked` is the one rule; `protectTable` is the same rule for a
 * single table (rows × columns with optional margins).
 *
 * 1. Primary suppression: every count from 1 to the threshold.
 * 2. Secondary suppression, repeated until nothing changes: a line with
 *    exactly one suppressed entry gets a second — the smallest published
 *    non-zero member (ties: the first), or the total; then the attacker of
 *    `disclosure-audit.ts` (linear algebra and intervals over every line at
 *    once) runs, and for each figure it recovers one more entry of a line
 *    through it is suppressed — or, when those lines have nothing left to
 *    suppress, a published figure further along the equations that fix it.
 *    Margins are treated as sums even where they
 *    are not exact (a contact in both strands counts in each strand's row but
 *    once in the total): that only ever suppresses more.
 * 3. Rounding (optional): every published non-zero count is rounded to the
 *    nearest multiple of the base (totals independently, as HES does).
 *
 * What it guarantees (tested property-based, and by the attacker test over
 * every table a commissioner can request): no published count is in
 * 1..threshold, and no suppressed figure can be recovered exactly by adding
 * and subtracting published figures of the same set. See docs/METRICS.md for
 * why this method and its limits.
 */

import { intervalBounds, linearBreakers, recoverable, type LinkedLine } from './disclosure-audit';

export type { LinkedLine } from './disclosure-audit';

export interface DisclosureSettings {
  /** Counts from 1 to this (inclusive) are suppressed. */
  threshold: number;
  /** 0: no rounding; otherwise published non-zero counts are rounded to the nearest multiple. */
  roundingBase: number;
}

export const DEFAULT_DISCLOSURE: DisclosureSettings = { threshold: 7, roundingBase: 0 };

export const DISCLOSURE_SOURCE =
  'NHS Hospital Episode Statistics (HES) disclosure control: 0 shown as 0; 1–7 suppressed; other counts optionally rounded to the nearest 5; secondary suppression wherever a total would reveal a suppressed cell — decided over every table of a metric and year at once (every period level and breakdown), so no combination of published figures recovers one.';

export interface Suppressed {
  suppressed: true;
}
export type Figure = number | Suppressed;

export const SUPPRESSED: Suppressed = Object.freeze({ suppressed: true }) as Suppressed;
export const isSuppressed = (f: Figure | null | undefined): f is Suppressed => typeof f === 'object' && f !== null && f.suppressed === true;

export interface CountTable {
  /** cells[row][column], non-negative integers. */
  cells: number[][];
  /** One per row, if the table publishes row totals. */
  rowTotals?: number[];
  /** One per column, if the table publishes column totals. */
  columnTotals?: number[];
  /** If the table publishes a grand total (needs row or column totals to matter). */
  grandTotal?: number;
}

export interface ProtectedTable {
  cells: Figure[][];
  rowTotals?: Figure[];
  columnTotals?: Figure[];
  grandTotal?: Figure;
}

type Ref = { kind: 'cell'; r: number; c: number } | { kind: 'row'; r: number } | { kind: 'col'; c: number } | { kind: 'grand' };
interface Line {
  members: Ref[];
  total: Ref;
}

const refKey = (ref: Ref): string =>
  ref.kind === 'cell' ? `c${ref.r},${ref.c}` : ref.kind === 'row' ? `r${ref.r}` : ref.kind === 'col' ? `k${ref.c}` : 'g';

/** The lines of a table: rows with their totals, columns with theirs, and the margins with the grand total. */
function linesOf(t: CountTable): Line[] {
  const rows = t.cells.length;
  const cols = rows === 0 ? 0 : (t.cells[0]?.length ?? 0);
  const lines: Line[] = [];
  if (t.rowTotals) {
    for (let r = 0; r < rows; r += 1) {
      lines.push({ members: Array.from({ length: cols }, (_, c) => ({ kind: 'cell' as const, r, c })), total: { kind: 'row', r } });
    }
  }
  if (t.columnTotals) {
    for (let c = 0; c < cols; c += 1) {
      lines.push({ members: Array.from({ length: rows }, (_, r) => ({ kind: 'cell' as const, r, c })), total: { kind: 'col', c } });
    }
  }
  if (t.grandTotal !== undefined) {
    if (t.rowTotals) lines.push({ members: Array.from({ length: rows }, (_, r) => ({ kind: 'row' as const, r })), total: { kind: 'grand' } });
    if (t.columnTotals) lines.push({ members: Array.from({ length: cols }, (_, c) => ({ kind: 'col' as const, c })), total: { kind: 'grand' } });
  }
  return lines;
}

function valueOf(t: CountTable, ref: Ref): number {
  switch (ref.kind) {
    case 'cell':
      return t.cells[ref.r]?.[ref.c] ?? 0;
    case 'row':
      return t.rowTotals?.[ref.r] ?? 0;
    case 'col':
      return t.columnTotals?.[ref.c] ?? 0;
    default:
      return t.grandTotal ?? 0;
  }
}

const isSmall = (n: number, threshold: number) => n >= 1 && n <= threshold;

/** Rounds a published count (never 0, never a suppressed one) to the nearest multiple of the base, halves up. */
export function roundCount(n: number, base: number): number {
  if (base <= 1 || n === 0) return n;
  return Math.round(n / base) * base;
}

/**
 * Which figures of a linked set must be hidden: the one rule for every table and every set of tables that
 * share figures. `values` holds every figure (absent: 0); `lines` says which figures add up to which.
 *
 * 1. Primary: every figure from 1 to the threshold.
 * 2. Secondary, until nothing changes: (a) a line with exactly one hidden entry gets a second — the smallest
 *    published non-zero member (ties: the first key), or, if there is none, its total; (b) the attacker of
 *    `disclosure-audit.ts` (linear algebra and intervals over every line at once) is run, and for each figure it
 *    recovers, one more entry is hidden in a line through it, chosen as in (a); when every line through it is
 *    already hidden or 0, a published figure further along the equations that fix it (of the nearest, the smallest
 *    whose hiding stops the recovery, else the nearest smallest).
 * Ends only when the attacker recovers nothing: each round hides at least one more figure, and equations left with
 * no published figure in them fix nothing (every count is at least 1, so any solution scaled up is another).
 * 3. Release: a greedy round can hide a figure that a later pick made unnecessary. The figures in `wanted` (the
 *    headline figures, most wanted first) that are hidden but not small are published again, one at a time, each
 *    only if the attacker then recovers nothing but figures that are not small (those are published with it: the
 *    attacker knows them already).
 * Zero is never hidden: an entry that is 0 tells nothing a published 0 would not.
 *
 * `start`: figures hidden from the outset (but for zeros) — the pattern stored for this set before its latest counts
 * (shared/domain/reports.ts, `protectYear`). Steps 1 and 2 run as ever, so the result is as safe as from nothing; step
 * 3 tries only the wanted figures hidden since.
 */
export function protectLinked(
  values: ReadonlyMap<string, number>,
  lines: readonly LinkedLine[],
  threshold: number,
  wanted: readonly string[] = [],
  start: Iterable<string> = [],
): Set<string> {
  const hidden = new Set<string>();
  for (const [k, n] of values) if (isSmall(n, threshold)) hidden.add(k);
  const started = new Set<string>();
  for (const k of start) if ((values.get(k) ?? 0) !== 0) started.add(k);
  for (const k of started) hidden.add(k);
  const linesOfKey = new Map<string, LinkedLine[]>();
  for (const line of lines) {
    for (const k of [...line.members, line.total]) {
      const list = linesOfKey.get(k) ?? [];
      list.push(line);
      linesOfKey.set(k, list);
    }
  }
  const set: LinkedSet = { values, lines, linesOfKey };
  closeRecoveries(set, hidden);
  // A wanted figure the starting pattern hid was tried when that pattern was decided; in a region's set each try is an
  // attack on nearly every line (17 s of 18 for time to escalation), so only those hidden since are tried again.
  releaseWanted(set, hidden, wanted.filter((k) => !started.has(k)), threshold);
  return hidden;
}

interface LinkedSet {
  values: ReadonlyMap<string, number>;
  lines: readonly LinkedLine[];
  linesOfKey: ReadonlyMap<string, readonly LinkedLine[]>;
}

/** Step 2 (secondary suppression): hides more figures until the attacker recovers nothing. */
function closeRecoveries(set: LinkedSet, hidden: Set<string>): void {
  const { values, lines, linesOfKey } = set;
  const v = (k: string) => values.get(k) ?? 0;
  const hideable = (k: string) => !hidden.has(k) && v(k) !== 0;
  /** The entry of a line to hide next: its smallest published non-zero member, or its total. */
  const nextOf = (line: LinkedLine): string | undefined => {
    let pick: string | undefined;
    for (const m of line.members) {
      if (!hideable(m)) continue;
      if (pick === undefined || v(m) < v(pick) || (v(m) === v(pick) && m < pick)) pick = m;
    }
    if (pick === undefined && hideable(line.total)) pick = line.total;
    return pick;
  };
  /**
   * When every line through a recovered figure is already hidden or 0, the attacker fixed it from further away (the
   * year, less a breakdown row's year, less the months that row alone fills). Hide a published figure of the
   * equations near it that fix it: of the nearest, the smallest one whose hiding leaves it unfixed, else the nearest
   * smallest one (the loop goes on; once no published figure is left in them, they are equations in hidden figures
   * alone, which fix nothing).
   */
  const farPick = (k: string): string | undefined => {
    const near = neighbourhoodFixing(k, hidden, linesOfKey, (l) => recoverable(values, l, hidden));
    if (!near) return undefined; // an earlier pick of this round saw to it
    const ordered = [...near.published.keys()].filter(hideable).sort((x, y) => (near.published.get(x) as number) - (near.published.get(y) as number) || v(x) - v(y) || (x < y ? -1 : 1));
    const tries = ordered.slice(0, FAR_PICK_TRIES).sort((x, y) => v(x) - v(y) || (x < y ? -1 : 1)); // the nearest, smallest first
    // One elimination says which tries leave k unfixed by the linear attack on the equations near it; of those, the
    // first the intervals do not fix either is the pick (both attacks, as `recoverable` runs them). Near equations
    // only: the next round's attack on every line says whether the pick was enough.
    const breakers = linearBreakers(near.lines, hidden, k, tries);
    const linearlyFree = tries.filter((p) => breakers.has(p)).slice(0, FAR_PICK_INTERVAL_TRIES);
    const breaks = linearlyFree.find((p) => {
      const b = intervalBounds(values, near.within(FAR_PICK_INTERVAL_RINGS), { has: (x: string) => x === p || hidden.has(x) }).get(k);
      return b !== undefined && b.lo !== b.hi;
    });
    return breaks ?? ordered[0];
  };
  for (let round = 0; round < 10_000; round += 1) {
    let changed = false;
    for (let lineChanged = true; lineChanged; ) {
      lineChanged = false;
      for (const line of lines) {
        const hiddenCount = line.members.filter((m) => hidden.has(m)).length + (hidden.has(line.total) ? 1 : 0);
        if (hiddenCount !== 1) continue;
        const pick = nextOf(line);
        if (pick === undefined) continue;
        hidden.add(pick);
        lineChanged = changed = true;
      }
    }
    const found = [...recoverable(values, lines, hidden)].sort();
    for (const k of found) {
      // Hide one more entry in the line through k that has the fewest hidden entries (and something left to hide).
      const candidates = (linesOfKey.get(k) ?? [])
        .map((line) => ({ line, pick: nextOf(line), hiddenCount: line.members.filter((m) => hidden.has(m)).length }))
        .filter((c): c is { line: LinkedLine; pick: string; hiddenCount: number } => c.pick !== undefined)
        .sort((a, b) => a.hiddenCount - b.hiddenCount || v(a.pick) - v(b.pick) || (a.pick < b.pick ? -1 : 1));
      const pick = candidates[0]?.pick ?? farPick(k);
      if (pick !== undefined) {
        hidden.add(pick);
        changed = true;
      }
    }
    if (!changed) return;
  }
}

/**
 * Step 3 (release): a wanted figure hidden but not small is published again if the attacker then recovers nothing,
 * or recovers only figures that are not small (they are published with it: they tell the attacker nothing it does
 * not then know).
 */
function releaseWanted(set: LinkedSet, hidden: Set<string>, wanted: readonly string[], threshold: number): void {
  const v = (k: string) => set.values.get(k) ?? 0;
  for (const k of wanted) {
    if (!hidden.has(k) || isSmall(v(k), threshold)) continue;
    for (const f of withRecovered(set, hidden, k, threshold) ?? []) hidden.delete(f);
  }
}

/**
 * The figures to publish with `k` so that the attacker recovers nothing more: `k` and what it then recovers, as
 * long as none of that is small; undefined when publishing `k` gives a small figure away.
 */
function withRecovered(set: LinkedSet, hidden: ReadonlySet<string>, k: string, threshold: number): string[] | undefined {
  const trial = new Set(hidden);
  const freed = [k];
  trial.delete(k);
  for (;;) {
    const found = recoverable(set.values, linesLinkedTo(freed, trial, set.linesOfKey), trial);
    if (found.size === 0) return freed;
    for (const f of found) {
      if (isSmall(set.values.get(f) ?? 0, threshold)) return undefined;
      trial.delete(f);
      freed.push(f);
    }
  }
}

/**
 * The equations near `k` that fix it: the lines through it, then those through their hidden figures, and so on,
 * ring by ring, the attacker run at 2, 4, 8… rings until it recovers `k` (equations a subset of every line fix no more
 * than all of them do, so what is fixed near is fixed). With it, the published figures of those lines and how many
 * rings away each is: the nearest are the ones whose hiding can stop the recovery. In a set of hundreds of teams the
 * hidden figures link nearly every line, and the attack on all of them, for each far pick, was most of a region's
 * protection time; the smallest figures of the whole set were other teams', which stopped nothing here, and picking
 * them hid one useless figure a round for as many rounds. Undefined when every line together does not fix `k`.
 */
function neighbourhoodFixing(
  k: string,
  hidden: ReadonlySet<string>,
  linesOfKey: ReadonlyMap<string, readonly LinkedLine[]>,
  attack: (lines: LinkedLine[]) => ReadonlySet<string>,
): { lines: LinkedLine[]; published: Map<string, number>; within: (depth: number) => LinkedLine[] } | undefined {
  const published = new Map<string, number>();
  const seenKeys = new Set([k]);
  const lines: LinkedLine[] = [];
  const seenLines = new Set<LinkedLine>();
  const ends: number[] = [];
  const within = (depth: number) => lines.slice(0, ends[Math.min(depth, ends.length) - 1]);
  let ring = [k];
  for (let depth = 1, check = 2; ; depth += 1) {
    const next: string[] = [];
    for (const key of ring) {
      for (const line of linesOfKey.get(key) ?? []) {
        if (seenLines.has(line)) continue;
        seenLines.add(line);
        lines.push(line);
        for (const e of [...line.members, line.total]) {
          if (seenKeys.has(e)) continue;
          seenKeys.add(e);
          if (hidden.has(e)) next.push(e);
          else published.set(e, depth);
        }
      }
    }
    ring = next;
    ends.push(lines.length);
    if (ring.length === 0 || depth === check) {
      if (attack(lines).has(k)) return { lines, published, within };
      if (ring.length === 0) return undefined;
      check *= 2;
    }
  }
}

/** How many published figures `protectLinked` tries, nearest and smallest first, for one that stops a far recovery. */
const FAR_PICK_TRIES = 24;
/**
 * Of those the linear attack leaves unfixed, how many are tried against the intervals too: each try is an interval
 * attack on every equation near the figure, and in a region's set those were most of its protection time (the first
 * linearly free try nearly always does; when none does, the nearest smallest is hidden and the next round looks again).
 */
const FAR_PICK_INTERVAL_TRIES = 3;
/** How many rings of lines around the figure the interval check of a try reads (the next round reads them all). */
const FAR_PICK_INTERVAL_RINGS = 3;

/**
 * The lines linked to some figures through hidden ones: every line through them, and every line through a hidden
 * entry of such a line, and so on. These are the only equations that can fix them: any other line shares no hidden
 * figure with them.
 */
function linesLinkedTo(start: readonly string[], hidden: ReadonlySet<string>, linesOfKey: ReadonlyMap<string, readonly LinkedLine[]>): LinkedLine[] {
  const seenKeys = new Set(start);
  const queue = [...start];
  const seenLines = new Set<LinkedLine>();
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    for (const line of linesOfKey.get(key) ?? []) {
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      for (const e of [...line.members, line.total]) {
        if (hidden.has(e) && !seenKeys.has(e)) {
          seenKeys.add(e);
          queue.push(e);
        }
      }
    }
  }
  return [...seenLines];
}

/** A table as a linked set: every figure by its key (refKey: `c<r>,<c>` cells, `r<r>`/`k<c>` totals, `g`) and its lines. */
export function linkedSetOfTable(t: CountTable): { values: Map<string, number>; lines: LinkedLine[] } {
  const values = new Map<string, number>();
  t.cells.forEach((row, r) => row.forEach((n, c) => values.set(refKey({ kind: 'cell', r, c }), n)));
  t.rowTotals?.forEach((n, r) => values.set(refKey({ kind: 'row', r }), n));
  t.columnTotals?.forEach((n, c) => values.set(refKey({ kind: 'col', c }), n));
  if (t.grandTotal !== undefined) values.set(refKey({ kind: 'grand' }), t.grandTotal);
  const lines = linesOf(t).map((l): LinkedLine => ({ members: l.members.map(refKey), total: refKey(l.total) }));
  return { values, lines };
}

/** Which entries of a table must be hidden; keys as refKey. */
export function suppressionPattern(t: CountTable, threshold: number): Set<string> {
  const { values, lines } = linkedSetOfTable(t);
  return protectLinked(values, lines, threshold);
}

/** Applies disclosure control to one table. */
export function protectTable(t: CountTable, settings: DisclosureSettings): ProtectedTable {
  const hidden = suppressionPattern(t, settings.threshold);
  const publish = (ref: Ref): Figure => (hidden.has(refKey(ref)) ? SUPPRESSED : roundCount(valueOf(t, ref), settings.roundingBase));
  return {
    cells: t.cells.map((row, r) => row.map((_, c) => publish({ kind: 'cell', r, c }))),
    ...(t.rowTotals ? { rowTotals: t.rowTotals.map((_, r) => publish({ kind: 'row', r })) } : {}),
    ...(t.columnTotals ? { columnTotals: t.columnTotals.map((_, c) => publish({ kind: 'col', c })) } : {}),
    ...(t.grandTotal !== undefined ? { grandTotal: publish({ kind: 'grand' }) } : {}),
  };
}

/** The same table, unprotected (admins only, audited): every figure as counted. */
export function unprotectedTable(t: CountTable): ProtectedTable {
  return {
    cells: t.cells.map((row) => [...row]),
    ...(t.rowTotals ? { rowTotals: [...t.rowTotals] } : {}),
    ...(t.columnTotals ? { columnTotals: [...t.columnTotals] } : {}),
    ...(t.grandTotal !== undefined ? { grandTotal: t.grandTotal } : {}),
  };
}

/** A single figure on its own (no table around it): primary suppression and rounding only. */
export function protectFigure(n: number, settings: DisclosureSettings): Figure {
  return isSmall(n, settings.threshold) ? SUPPRESSED : roundCount(n, settings.roundingBase);
}
