import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { percentile } from "../report/stats.ts";
import type { LoadMeasurement } from "./types.ts";

/** A GET that sends the headers it is given (src/util/http.ts: httpGet); `timeoutMs` is its socket's idle limit. */
export type LoadFetch = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal; timeoutMs?: number; method?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface LoadWindow {
  url: string;
  headers: Record<string, string>;
  rps: number;
  durationMs: number;
  timeoutMs: number;
  fetch: LoadFetch;
  /** For a 2xx answer: the backend it came from when that is not the expected one, else undefined. */
  strayBackend?: (body: string) => string | undefined;
  signal?: AbortSignal;
}

/** Sockets one window may hold open: well below a default file-descriptor limit of 1024. */
export const MAX_IN_FLIGHT = 512;

/**
 * Requests in flight at most: twice what the schedule keeps in flight when every request
 * runs into its time-out, plus a margin for sends that bunch up when timers fire late, up
 * to MAX_IN_FLIGHT. Reaching it means the client is the limit; such requests are counted
 * as not sent (and as errors: a budget is not met by requests never made).
 */
export const inFlightLimit = (rps: number, timeoutMs: number) =>
  Math.min(MAX_IN_FLIGHT, 2 * Math.ceil((rps * timeoutMs) / 1000) + 16);

const count = (m: Record<string, number>, key: string) => (m[key] = (m[key] ?? 0) + 1);
const codeOf = (err: unknown) =>
  (err as NodeJS.ErrnoException).code ?? ((err as Error).message || "error").slice(0, 60);

/**
 * One load window, open loop: request i is sent at start + i/rps whether or not earlier
 * ones have been answered (waiting for answers would slow the client down exactly when
 * the server queues, and hide the queueing). A send that is late (a busy machine) goes
 * at once, and the lateness is recorded. Each request has its own deadline; after the
 * last send the window runs to its full duration, then the requests still in flight are
 * awaited (each ends by its deadline). Aborting the signal stops the sending, cancels
 * what is in flight and rejects with the signal's reason: a cut window has no verdict.
 */
export async function measureLoad(o: LoadWindow): Promise<LoadMeasurement> {
  const m: LoadMeasurement = {
    scheduled: Math.max(1, Math.round((o.rps * o.durationMs) / 1000)),
    sent: 0,
    notSent: 0,
    ok: 0,
    timeouts: 0,
    statuses: {},
    connectionErrors: {},
    otherBackends: {},
    windowMs: 0,
    maxLateMs: 0,
    timeoutMs: o.timeoutMs,
  };
  const latencies: number[] = [];
  const limit = inFlightLimit(o.rps, o.timeoutMs);
  const inFlight = new Set<Promise<void>>();
  const cancels = new Set<AbortController>();
  const cancelAll = () => cancels.forEach((c) => c.abort(o.signal?.reason));
  o.signal?.addEventListener("abort", cancelAll, { once: true });

  const one = async (): Promise<void> => {
    const cancel = new AbortController();
    cancels.add(cancel);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancel.abort(new Error(`no answer within ${o.timeoutMs}ms`));
    }, o.timeoutMs);
    const start = performance.now();
    try {
      // our own deadline decides; the socket's idle limit is only a backstop behind it
      const res = await o.fetch(o.url, { headers: o.headers, signal: cancel.signal, timeoutMs: o.timeoutMs + 1000 });
      const body = await res.text();
      latencies.push(performance.now() - start);
      const stray = res.status >= 200 && res.status < 300 ? o.strayBackend?.(body) : undefined;
      if (res.status < 200 || res.status >= 300) count(m.statuses, String(res.status));
      else if (stray !== undefined) count(m.otherBackends, stray);
      else m.ok++;
    } catch (err) {
      if (o.signal?.aborted) return; // cut short: not a measurement
      if (timedOut) {
        m.timeouts++;
        latencies.push(o.timeoutMs);
      } else {
        count(m.connectionErrors, codeOf(err));
        latencies.push(performance.now() - start);
      }
    } finally {
      clearTimeout(timer);
      cancels.delete(cancel);
    }
  };

  const gapMs = 1000 / o.rps;
  const t0 = performance.now();
  try {
    for (let i = 0; i < m.scheduled && !o.signal?.aborted; i++) {
      const due = t0 + i * gapMs;
      if (!(await pause(due - performance.now(), o.signal))) break;
      m.maxLateMs = Math.max(m.maxLateMs, performance.now() - due);
      if (inFlight.size >= limit) {
        m.notSent++;
        continue;
      }
      m.sent++;
      const p: Promise<void> = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await pause(t0 + o.durationMs - performance.now(), o.signal);
    m.windowMs = performance.now() - t0;
    await Promise.all(inFlight);
  } finally {
    o.signal?.removeEventListener("abort", cancelAll);
  }
  if (o.signal?.aborted) throw o.signal.reason instanceof Error ? o.signal.reason : new Error("load window aborted");
  if (latencies.length)
    m.latencyMs = {
      p50: percentile(latencies, 50)!,
      p95: percentile(latencies, 95)!,
      p99: percentile(latencies, 99)!,
    };
  return m;
}

/** Sleeps `ms` (nothing when not positive); false when the signal aborted. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}
