import type { DurationStats } from "./types.ts";

/** Statistics of repeated measurements (pure; the single implementation the report uses). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]!;
}

/** Count, median, p95 and max of the measured values; nulls (not measured) and non-finite values are left out. */
export function durationStats(values: readonly (number | null)[]): DurationStats {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return { count: xs.length, median: median(xs), p95: percentile(xs, 95), max: xs.length ? Math.max(...xs) : null };
}
