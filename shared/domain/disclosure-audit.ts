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

/** Which figures are hidden: a set, or a test (a set and one more figure). */
export type HiddenTest = Pick<ReadonlySet<string>, 'has'>;

/** The lines as equations in the hidden figures; lines without a hidden figure say nothing. */
function equationsOf(values: ReadonlyMap<string, number>, lines: readonly LinkedLine[], hidden: HiddenTest): Equation[] {
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

/** Equations grouped by the hidden figures they link (each group can be solved on its own, and far faster). */
function components(eqs: readonly Equation[]): Equation[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    for (let x = k; parent.get(x) !== root; ) {
      const next = parent.get(x) as string;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  for (const eq of eqs) for (const k of eq.coefficients.keys()) if (!parent.has(k)) parent.set(k, k);
  for (const eq of eqs) {
    const [first, ...rest] = [...eq.coefficients.keys()];
    for (const k of rest) parent.set(find(k), find(first as string));
  }
  const groups = new Map<string, Equation[]>();
  for (const eq of eqs) {
    const root = find(eq.coefficients.keys().next().value as string);
    const list = groups.get(root) ?? [];
    list.push(eq);
    groups.set(root, list);
  }
  return [...groups.values()];
}

/** Hidden figures fixed by the equations alone (reduced row echelon form, modulo P). */
export function linearlyDetermined(values: ReadonlyMap<string, number>, lines: readonly LinkedLine[], hidden: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const group of components(equationsOf(values, lines, hidden))) for (const k of determinedIn(group)) out.add(k);
  return out;
}

/**
 * Forward elimination to row echelon form, then random vectors of the null space: a hidden figure is fixed by the
 * equations exactly when every solution of the homogeneous system is 0 there. Two random null-space vectors are
 * drawn (free figures set at random modulo P, pivots solved back); a figure 0 in both is fixed (a false "fixed"
 * has probability about 1/P per vector, and only ever suppresses more). Cheaper than the reduced form: no pivot
 * row is ever eliminated again, so the rows stay sparse.
 */
function determinedIn(eqs: readonly Equation[]): Set<string> {
  const order = new Map<string, number>(); // pivot key → creation index
  const pivotRows: Array<{ key: string; row: Map<string, number> }> = [];
  for (const eq of [...eqs].sort((a, b) => a.coefficients.size - b.coefficients.size)) {
    const row = new Map<string, number>();
    for (const [k, c] of eq.coefficients) if (mod(c) !== 0) row.set(k, mod(c));
    for (;;) {
      let first: number | undefined;
      for (const k of row.keys()) {
        const idx = order.get(k);
        if (idx !== undefined && (first === undefined || idx < first)) first = idx;
      }
      if (first === undefined) break;
      const { key, row: pivotRow } = pivotRows[first] as { key: string; row: Map<string, number> };
      const c = row.get(key) as number;
      for (const [j, v] of pivotRow) {
        const next = mod((row.get(j) ?? 0) - mulmod(c, v));
        if (next === 0) row.delete(j);
        else row.set(j, next);
      }
    }
    if (row.size === 0) continue;
    const pivot = row.keys().next().value as string;
    const inv = inverse(row.get(pivot) as number);
    for (const [k, c] of row) row.set(k, mulmod(c, inv));
    order.set(pivot, pivotRows.length);
    pivotRows.push({ key: pivot, row });
  }
  const zeroEverywhere = new Set(order.keys());
  let seed = 0x9e3779b1;
  const random = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (seed % (P - 1)) + 1;
  };
  for (let round = 0; round < 2; round += 1) {
    const x = new Map<string, number>();
    const valueOf = (k: string): number => {
      let v = x.get(k);
      if (v === undefined) {
        v = order.has(k) ? 0 : random(); // a free figure: any value
        x.set(k, v);
      }
      return v;
    };
    for (let i = pivotRows.length - 1; i >= 0; i -= 1) {
      const { key, row } = pivotRows[i] as { key: string; row: Map<string, number> };
      let sum = 0;
      for (const [k, c] of row) if (k !== key) sum = mod(sum + mulmod(c, valueOf(k)));
      const v = mod(-sum);
      x.set(key, v);
      if (v !== 0) zeroEverywhere.delete(key);
    }
  }
  return zeroEverywhere;
}

/**
 * Bounds of each hidden figure of the lines from their equations, each hidden figure at least `lowest` (a hidden
 * figure in none of the lines is bounded by nothing, and left out). `hidden` is only asked `has`: a caller trying
 * one more hidden figure passes a test rather than a copy of a set of thousands.
 */
export function intervalBounds(
  values: ReadonlyMap<string, number>,
  lines: readonly LinkedLine[],
  hidden: HiddenTest,
  lowest = 1,
): Map<string, { lo: number; hi: number }> {
  const bounds = new Map<string, { lo: number; hi: number }>();
  const boundOf = (k: string) => bounds.get(k) ?? (bounds.set(k, { lo: lowest, hi: Number.POSITIVE_INFINITY }).get(k) as { lo: number; hi: number });
  // Each equation's terms with their bounds, made once; each sweep visits every term once (a term's rest is the
  // equation's whole range less its own part, the infinite parts counted apart so that taking one out is exact).
  const eqs = equationsOf(values, lines, hidden).map((eq) => ({
    rhs: eq.rhs,
    terms: [...eq.coefficients].map(([k, c]) => ({ c, b: boundOf(k) })),
  }));
  const sums = { min: 0, minInf: 0, max: 0, maxInf: 0 };
  const add = (c: number, b: { lo: number; hi: number }, sign: 1 | -1) => {
    const least = Math.min(c * b.lo, c * b.hi);
    const most = Math.max(c * b.lo, c * b.hi);
    if (Number.isFinite(least)) sums.min += sign * least;
    else sums.minInf += sign;
    if (Number.isFinite(most)) sums.max += sign * most;
    else sums.maxInf += sign;
  };
  for (let round = 0, changed = true; changed && round < 200; round += 1) {
    changed = false;
    for (const { rhs, terms } of eqs) {
      sums.min = sums.minInf = sums.max = sums.maxInf = 0;
      for (const { c, b } of terms) add(c, b, 1);
      for (const { c, b } of terms) {
        // c·x = rhs − Σ others; the others' sum lies in [restMin, restMax].
        add(c, b, -1);
        const restMin = sums.minInf > 0 ? Number.NEGATIVE_INFINITY : sums.min;
        const restMax = sums.maxInf > 0 ? Number.POSITIVE_INFINITY : sums.max;
        const a = (rhs - restMax) / c;
        const z = (rhs - restMin) / c;
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
        add(c, b, 1);
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

/**
 * Which of some published figures, hidden as well (one at a time), would leave `target` unfixed by the linear attack
 * — every candidate tested with one elimination rather than one each. The equations are homogeneous in the hidden
 * figures and the candidates (values do not decide what is fixed); pivots are taken among the hidden figures only,
 * so the candidates' columns ride along. For a candidate p: a row left with no hidden figure but p in it forces p to
 * 0, and nothing changes; otherwise p is free, and with p = 1 and every other free figure 0 the pivots solve to a
 * null vector whose value at `target` tells (target was fixed, so every null vector of the hidden figures alone is 0
 * there, and this value is the same for any choice of the free figures). A target not fixed to begin with stays
 * unfixed whatever is hidden: every candidate is returned. Exact modulo P, where the random vectors of
 * `linearlyDetermined` are right with probability 1 − 1/P.
 */
export function linearBreakers(lines: readonly LinkedLine[], hidden: ReadonlySet<string>, target: string, candidates: readonly string[]): Set<string> {
  const isCandidate = new Set(candidates);
  const pivotOf = new Map<string, { row: Map<string, number>; index: number }>();
  const pivotRows: Array<{ key: string; row: Map<string, number> }> = [];
  const forced = new Set<string>();
  for (const line of [...lines].sort((a, b) => a.members.length - b.members.length)) {
    const row = new Map<string, number>();
    const term = (k: string, sign: number) => {
      if (hidden.has(k) || isCandidate.has(k)) row.set(k, mod((row.get(k) ?? 0) + sign));
    };
    for (const m of line.members) term(m, 1);
    term(line.total, -1);
    for (const [k, c] of row) if (c === 0) row.delete(k);
    for (;;) {
      let first: { row: Map<string, number>; index: number; key: string } | undefined;
      for (const k of row.keys()) {
        const p = pivotOf.get(k);
        if (p !== undefined && (first === undefined || p.index < first.index)) first = { ...p, key: k };
      }
      if (first === undefined) break;
      const c = row.get(first.key) as number;
      for (const [j, v] of first.row) {
        const next = mod((row.get(j) ?? 0) - mulmod(c, v));
        if (next === 0) row.delete(j);
        else row.set(j, next);
      }
    }
    const pivot = [...row.keys()].find((k) => hidden.has(k));
    if (pivot === undefined) {
      for (const k of row.keys()) forced.add(k); // a relation among candidates alone: each one in it is forced to 0
      continue;
    }
    const inv = inverse(row.get(pivot) as number);
    for (const [k, c] of row) row.set(k, mulmod(c, inv));
    pivotOf.set(pivot, { row, index: pivotRows.length });
    pivotRows.push({ key: pivot, row });
  }
  /** The pivots solved back from values of the free figures (absent: 0); the target's value. */
  const targetFrom = (free: (k: string) => number): number => {
    const x = new Map<string, number>();
    const valueOf = (k: string) => x.get(k) ?? (pivotOf.has(k) ? 0 : free(k));
    for (let i = pivotRows.length - 1; i >= 0; i -= 1) {
      const { key, row } = pivotRows[i] as { key: string; row: Map<string, number> };
      let sum = 0;
      for (const [k, c] of row) if (k !== key) sum = mod(sum + mulmod(c, valueOf(k)));
      x.set(key, mod(-sum));
    }
    return x.get(target) ?? 0;
  };
  // Not fixed to begin with (a free figure, or a pivot that a free hidden figure moves): nothing to break.
  let seed = 0x2545f491;
  const random = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (seed % (P - 1)) + 1;
  };
  const randomHidden = () => {
    const chosen = new Map<string, number>();
    return (k: string) => (isCandidate.has(k) ? 0 : chosen.get(k) ?? chosen.set(k, random()).get(k)!);
  };
  if (!pivotOf.has(target) || targetFrom(randomHidden()) !== 0 || targetFrom(randomHidden()) !== 0) return new Set(candidates);
  const out = new Set<string>();
  for (const p of candidates) {
    if (!forced.has(p) && targetFrom((k) => (k === p ? 1 : 0)) !== 0) out.add(p);
  }
  return out;
}
