import type { DataPlaneAnswer, LoadMeasurement } from "../../sdk/types.ts";

export interface LoadBudget {
  /** Percent of the requests that may fail (time-outs, non-2xx, connection errors, ...). */
  maxErrorRate: number;
  maxP95Ms?: number;
  /** The rate asked for; a window that delivered less than MIN_DELIVERED of it does not pass. */
  rps: number;
}

/**
 * A window that sent less than this share of the asked rate is too light to pass. Late
 * sends go at once (they catch up), so only a badly stalled client gets there.
 */
export const MIN_DELIVERED = 0.5;
/** Sends later than this are mentioned: the load came in bursts rather than evenly. */
export const LATE_MS = 250;

const ms = (v: number) => `${Math.round(v)}ms`;
const byCount = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]);
const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every kind of error with its count, the largest first within a kind. */
function errorKinds(m: LoadMeasurement): string[] {
  const kinds: string[] = [];
  if (m.timeouts) kinds.push(`${m.timeouts} timed out (no answer within ${m.timeoutMs}ms)`);
  for (const [status, n] of byCount(m.statuses)) kinds.push(`${n} HTTP ${status}`);
  const conn = byCount(m.connectionErrors);
  if (conn.length)
    kinds.push(
      `${plural(sum(m.connectionErrors), "connection error")} (${conn.map(([c, n]) => (conn.length > 1 ? `${c} ${n}` : c)).join(", ")})`,
    );
  for (const [backend, n] of byCount(m.otherBackends)) kinds.push(`${n} answered by ${backend}`);
  if (m.notSent) kinds.push(`${m.notSent} not sent (the client's in-flight limit)`);
  return kinds;
}

/**
 * Judges one load window against the budget. The message carries every figure the verdict
 * rests on — requests, window, rate achieved, errors by kind, error rate, p50/p95/p99, the
 * budget — so that the report's evidence can be checked without the run's logs:
 *
 *   shop.example/work: 200 requests in 10.0s at 20.0/s: 6 errors (3.0%): 6 timed out (no
 *   answer within 1000ms); p50 12ms p95 14ms p99 1000ms; budget 1% errors, p95 500ms;
 *   over budget: 3.0% errors > 1%
 *
 * Latencies cover every request sent, a timed-out one at the time-out. The rate is the one
 * achieved (sent over the window); "(asked N/s)" follows when it fell short by over 10%, a
 * note when sends ran over LATE_MS behind schedule, and a window that delivered under
 * MIN_DELIVERED of the asked rate does not pass: too little load proves nothing.
 */
export function judgeLoad(target: string, m: LoadMeasurement, b: LoadBudget): DataPlaneAnswer {
  const asked = m.sent + m.notSent;
  if (asked === 0) return { ok: false, message: `${target}: no request was sent` };
  const errors = asked - m.ok;
  const rate = (100 * errors) / asked;
  const lat = m.latencyMs;
  const delivered = m.sent / (Math.max(1, m.windowMs) / 1000);
  const over: string[] = [];
  if (rate > b.maxErrorRate) over.push(`${rate.toFixed(1)}% errors > ${b.maxErrorRate}%`);
  if (b.maxP95Ms !== undefined && lat && lat.p95 > b.maxP95Ms) over.push(`p95 ${ms(lat.p95)} > ${ms(b.maxP95Ms)}`);
  const light = delivered < MIN_DELIVERED * b.rps;
  const parts = [
    `${target}: ${asked} requests in ${(m.windowMs / 1000).toFixed(1)}s at ${delivered.toFixed(1)}/s` +
      (delivered < 0.9 * b.rps ? ` (asked ${b.rps}/s)` : "") +
      `: ${errors === 0 ? "no errors (0.0%)" : `${plural(errors, "error")} (${rate.toFixed(1)}%): ${errorKinds(m).join(", ")}`}`,
    lat ? `p50 ${ms(lat.p50)} p95 ${ms(lat.p95)} p99 ${ms(lat.p99)}` : "no latency measured",
    `budget ${b.maxErrorRate}% errors${b.maxP95Ms !== undefined ? `, p95 ${ms(b.maxP95Ms)}` : ""}`,
  ];
  if (over.length) parts.push(`over budget: ${over.join(", ")}`);
  if (light) parts.push(`too little load to pass: the client sent under ${100 * MIN_DELIVERED}% of the asked rate`);
  if (m.maxLateMs > LATE_MS) parts.push(`sends fell up to ${ms(m.maxLateMs)} behind schedule (a busy client)`);
  return { ok: over.length === 0 && !light, message: parts.join("; ") };
}
