/** Statistics and formatting the benchmarks share. */
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The p-quantile (0..1) of xs, linearly interpolated; NaN when xs is empty. */
export function pct(xs: number[], p: number): number {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}
export const summary = (xs: number[]) => ({ runs: xs.length, median: pct(xs, 0.5), p10: pct(xs, 0.1), p90: pct(xs, 0.9), min: Math.min(...xs), max: Math.max(...xs) });
export const r1 = (n: number) => Math.round(n * 10) / 10;
export const r2 = (n: number) => Math.round(n * 100) / 100;
export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
export const yes = (b: boolean) => (b ? 'yes' : '**no**');
export const benchLog = (...a: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
