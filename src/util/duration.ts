/** Durations as written in scenario files and flags: `500ms`, `30s`, `2m`, `1h30m`, `1.5s`. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** The longest duration a scenario or flag may give: 24h (a drill that waits longer is a mistake). */
export const MAX_DURATION_MS = 24 * 3_600_000;
/** The longest delay a Node timer accepts (2^31-1 ms); a longer one fires after 1ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Returns milliseconds, or undefined when `text` is not a duration. The value may exceed
 * MAX_DURATION_MS (even be Infinity for a 400-digit number): durationProblem() bounds it.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}

/**
 * Why `text` is not an acceptable duration (completing "<field> ..."), or undefined:
 * not a duration at all, or longer than 24h.
 */
export function durationProblem(text: string): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `must be a duration such as 500ms, 30s, 2m or 1h30m (got ${JSON.stringify(text)})`;
  if (!(ms <= MAX_DURATION_MS))
    return `must be at most 24h (got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}, ${Number.isFinite(ms) ? `${ms}ms` : "beyond any number"})`;
  return undefined;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${s.toString().padStart(2, "0")}s`;
}
