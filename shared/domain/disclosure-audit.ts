/**
 * The attacker, in the domain: given a set of figures linked by sums ("lines":
 * members that add up to a total) and which of them are hidden, which hidden
 * figures could someone recover exactly by adding and subtracting the
 * published ones? Two attacks, both on the published figures only:
 *
 * - linear algebra: the lines are equations in the hidden figures (published
 *   figures moved to the right-hand side). A hidden figure is recovered when
 *   the equations fix it whatever the other hidden figures are — its pivot row
 *   in reduced row echelon form has no free column. Elimination is modulo the
 *   prime 2^31 − 1; the coefficients are sums of ±1, far smaller, so no rank is
 *   lost to the modulus.
 * - intervals: every hidden figure is at least 1 (0 is always published), and
 *   each equation bounds each of its unknowns by what the others can be; the
 *   bounds are tightened until they stop moving. A figure whose lower and upper
 *   bounds meet is recovered (for example two hidden cells whose line leaves
 *   2: both are 1).
 *
 * `disclosure.ts` runs this on every linked set it protects and hides more
 * until nothing is recovered. Pure; no I/O.
 */

export interface LinkedLine {
  /** Keys of figures that add up to `total`. */
  members: readonly string[];
  total: string;
}

const P = 2_147_483_647;
const mod = (a: number) => ((a % P) + P) % P;
/** a·b mod P without leaving the exact range of doubles (a, b < 2^31). */
const mulmod = (a: number, b: number) => mod((a * Math.floor(b / 65536)) % P * 65536 + a * (b % 65536));
function inverse(a: number): number {
  let [t, newT, r, newR] = [0, 1, P, mod(a)];
  while (newR !== 0) {
    const q = Math.floor(r / newR);
    [t, newT] = [newT, mod(t - mulmod(q, newT))];
    [r, newR] = [newR, r - q * newR];
  }
  return mod(t);
}

interface Equation {
  coefficients: Map<string, number>; // hidden key → ±1 (summed)
  rhs: number;
}

/** The lines as equations in the hidden figures; lines without a hidden figure say nothing. */
function equationsOf(values: ReadonlyMap<string, number>, lines: readonly LinkedLine[], hidden: ReadonlySet<string>): Equation[] {
  const out: Equation[] = [];
  for (const line of lines) {
    const coefficients = new Map<string, number>();
    let rhs = 0;
    const term = (key: string, sign: number) => {
      if (hidden.has(key)) coefficients.set(key, (coefficients.get(key) ?? 0) + sign);
      else rhs -= sign * (values.get(key) ?? 0);
    };
    for (const m of line.members) term(m, 1);
    term(line.total, -1);
    for (const [k, c] of coefficients) if (c === 0) coefficients.delete(k);
    if (coefficients.size > 0) out.push({ coefficients, rhs });
  }
  return out;
}

/** Hidden figures fixed by the equations alone (reduced row echelon form, modulo P). */
export function linearlyDetermined(values: ReadonlyMap<string, number>, lines: readonly LinkedLine[], hidden: ReadonlySet<string>): Set<string> {
  const pivots = new Map<string, Map<string, number>>(); // pivot key → row (pivot coefficient 1), no other pivot key in it
  for (const eq of equationsOf(values, lines, hidden)) {
    const row = new Map<string, number>();
    for (const [k, c] of eq.coefficients) row.set(k, mod(c));
    for (const [k, c] of [...row]) {
      const pivotRow = pivots.get(k);
      if (!pivotRow || c === 0) continue;
      for (const [j, v] of pivotRow) {
        const next = mod((row.get(j) ?? 0) - mulmod(c, v));
        if (next === 0) row.delete(j);
        else row.set(j, next);
      }
    }
    for (const [k, c] of row) if (c === 0) row.delete(k);
    if (row.size === 0) continue;
    const [pivot, pc] = [...row.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    const inv = inverse(pc);
    for (const [k, c] of row) row.set(k, mulmod(c, inv));
    for (const other of pivots.values()) {
      const c = other.get(pivot);
      if (c === undefined) continue;
      for (const [j, v] of row) {
        const next = mod((other.get(j) ?? 0) - mulmod(c, v));
        if (next === 0) other.delete(j);
        else other.set(j, next);
      }
    }
    pivots.set(pivot, row);
  }
  const out = new Set<string>();
  for (const [pivot, row] of pivots) if (row.size === 1) out.add(pivot);
  return out;
}

/** Bounds of each hidden figure from the equations, each hidden figure at least `lowest`. */
export function intervalBounds(
  values: ReadonlyMap<string, number>,
  lines: readonly LinkedLine[],
  hidden: ReadonlySet<string>,
  lowest = 1,
): Map<string, { lo: number; hi: number }> {
  const bounds = new Map<string, { lo: number; hi: number }>();
  for (const k of hidden) bounds.set(k, { lo: lowest, hi: Number.POSITIVE_INFINITY });
  const eqs = equationsOf(values, lines, hidden);
  for (let round = 0, changed = true; changed && round < 200; round += 1) {
    changed = false;
    for (const eq of eqs) {
      const terms = [...eq.coefficients].map(([k, c]) => ({ c, b: bounds.get(k) as { lo: number; hi: number } }));
      for (const [i, { c, b }] of terms.entries()) {
        // c·x = rhs − Σ others; the others' sum lies in [restMin, restMax].
        let restMin = 0;
        let restMax = 0;
        for (const [j, o] of terms.entries()) {
          if (j === i) continue;
          restMin += Math.min(o.c * o.b.lo, o.c * o.b.hi);
          restMax += Math.max(o.c * o.b.lo, o.c * o.b.hi);
        }
        const a = (eq.rhs - restMax) / c;
        const z = (eq.rhs - restMin) / c;
        const lo = Math.ceil(Math.min(a, z) - 1e-9);
        const hi = Math.floor(Math.max(a, z) + 1e-9);
        if (Number.isFinite(lo) && lo > b.lo) {
          b.lo = lo;
          changed = true;
        }
        if (Number.isFinite(hi) && hi < b.hi) {
          b.hi = hi;
          changed = true;
        }
      }
    }
  }
  return bounds;
}

/** Every hidden figure an attacker recovers exactly, by either attack. */
export function recoverable(values: ReadonlyMap<string, number>, lines: readonly LinkedLine[], hidden: ReadonlySet<string>): Set<string> {
  if (hidden.size === 0) return new Set();
  const out = linearlyDetermined(values, lines, hidden);
  for (const [k, b] of intervalBounds(values, lines, hidden)) if (b.lo === b.hi) out.add(k);
  return out;
}
