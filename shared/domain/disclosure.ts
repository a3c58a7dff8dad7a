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
 * A table is a grid of counts (rows × columns) with optional margins: a total
 * per row, a total per column, and a grand total. Each row and each column
 * with its total is a "line": members that (are taken to) add up to the total.
 *
 * 1. Primary suppression: every count (cell or total) from 1 to the threshold.
 * 2. Secondary suppression, repeated until nothing changes: a line whose
 *    total is known and that has exactly one suppressed entry (member or
 *    total) would give it away by subtraction (or addition), so one more
 *    entry of the line is suppressed — the smallest published non-zero
 *    member (ties: the first), or, if there is none, the total.
 *    Margins are treated as sums even where they are not exact (a contact
 *    in both strands counts in each strand's row but once in the total):
 *    that only ever suppresses more.
 * 3. Rounding (optional): every published non-zero count is rounded to the
 *    nearest multiple of the base (totals independently, as HES does).
 *
 * What it guarantees (tested property-based): no published count is in
 * 1..threshold; no line with a published total has exactly one hidden entry,
 * so no suppressed cell is recoverable from a published total and the other
 * published cells of its row or column. It does not search for attacks that
 * combine several lines at once (for the small tables the report publishes —
 * a breakdown by up to a few dozen values against a handful of series — the
 * usual statistical-office practice is the same line-by-line rule).
 */

export interface DisclosureSettings {
  /** Counts from 1 to this (inclusive) are suppressed. */
  threshold: number;
  /** 0: no rounding; otherwise published non-zero counts are rounded to the nearest multiple. */
  roundingBase: number;
}

export const DEFAULT_DISCLOSURE: DisclosureSettings = { threshold: 7, roundingBase: 0 };

export const DISCLOSURE_SOURCE =
  'NHS Hospital Episode Statistics (HES) disclosure control: 0 shown as 0; 1–7 suppressed; other counts optionally rounded to the nearest 5; secondary suppression where a total would reveal a suppressed cell.';

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

/** Which entries of a table must be hidden (primary, then secondary until stable); keys as refKey. */
export function suppressionPattern(t: CountTable, threshold: number): Set<string> {
  const hidden = new Set<string>();
  const all: Ref[] = [];
  t.cells.forEach((row, r) => row.forEach((_, c) => all.push({ kind: 'cell', r, c })));
  t.rowTotals?.forEach((_, r) => all.push({ kind: 'row', r }));
  t.columnTotals?.forEach((_, c) => all.push({ kind: 'col', c }));
  if (t.grandTotal !== undefined) all.push({ kind: 'grand' });
  for (const ref of all) if (isSmall(valueOf(t, ref), threshold)) hidden.add(refKey(ref));

  const lines = linesOf(t);
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const entries = [...line.members, line.total];
      const hiddenCount = entries.filter((e) => hidden.has(refKey(e))).length;
      if (hiddenCount !== 1) continue;
      // Exactly one hidden entry: the rest of the line would reveal it. Hide the smallest published non-zero member.
      let pick: Ref | undefined;
      for (const m of line.members) {
        if (hidden.has(refKey(m))) continue;
        const v = valueOf(t, m);
        if (v === 0) continue;
        if (!pick || v < valueOf(t, pick)) pick = m;
      }
      if (!pick && !hidden.has(refKey(line.total))) pick = line.total;
      if (!pick) {
        // The hidden entry is the total and every member is zero or hidden: the total is 0 then, never hidden.
        continue;
      }
      hidden.add(refKey(pick));
      changed = true;
    }
  }
  return hidden;
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
