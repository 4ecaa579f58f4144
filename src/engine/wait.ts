import { AbortedError } from "../errors.ts";
import type { Clock } from "../util/clock.ts";

interface WaitOptions<T> {
  /** Returns the awaited value, or undefined to keep waiting. Re-run after every notification. */
  check: () => T | undefined;
  /** Notifications that the answer may have changed (monitor updates). */
  subscribe: (fn: () => void) => () => void;
  clock: Clock;
  /** When to stop waiting and return undefined (may move as state changes). */
  giveUpAt: () => number;
  /** An earlier moment to re-check even without a notification (e.g. a hold period ends). */
  wakeAt?: () => number | undefined;
  signal?: AbortSignal;
  /**
   * Finishes evaluations already under way (changes received before the deadline but not
   * yet judged); awaited before giving up, so that such a change still counts.
   */
  settle?: () => Promise<void>;
}

/** The reason an aborted signal carries, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error && !(signal.reason.name === "AbortError")
    ? signal.reason
    : new AbortedError("aborted", { cause: signal.reason });
}

/**
 * Waits for `check` to return a value, re-checking on each notification and at
 * wakeAt/giveUpAt on the injected clock. Resolves undefined when it gives up; rejects
 * when the signal aborts. No polling: between notifications it only sleeps until the
 * next moment the answer could change on its own.
 */
export async function waitUntil<T>(o: WaitOptions<T>): Promise<T | undefined> {
  for (;;) {
    if (o.signal?.aborted) throw abortReason(o.signal);
    const value = o.check();
    if (value !== undefined) return value;
    const now = o.clock.now();
    const giveUp = o.giveUpAt();
    if (now >= giveUp) {
      if (!o.settle) return undefined;
      await o.settle();
      const late = o.check();
      if (late !== undefined) return late;
      if (o.clock.now() >= o.giveUpAt()) return undefined;
      continue;
    }
    const wake = Math.min(giveUp, o.wakeAt?.() ?? Number.POSITIVE_INFINITY);
    await nextChange(o, Math.max(1, wake - now));
  }
}

function nextChange(o: WaitOptions<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = new AbortController();
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      timer.abort();
      o.signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(abortReason(o.signal!));
    const unsubscribe = o.subscribe(() => finish());
    o.signal?.addEventListener("abort", onAbort, { once: true });
    o.clock.sleep(ms, timer.signal).then(
      () => finish(),
      () => undefined, // cancelled by finish()
    );
  });
}
