import { TimeoutError } from "../errors.ts";
import { systemClock, type Clock } from "./clock.ts";

export interface PollOptions {
  /** What is being waited for, for the timeout message: `Pod "api-0" Ready`. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Calls `check` until it returns a value other than undefined/false, or the deadline
 * passes (TimeoutError naming what, the elapsed time and the limit). A check that
 * throws ends the wait with that error. Used only for things no watch can tell
 * (an object gone after a delete, where a watch would need a store of its own).
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: PollOptions,
): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  const interval = opts.intervalMs ?? 250;
  let last: unknown;
  for (;;) {
    opts.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined && value !== false) return value;
    last = value;
    const elapsed = clock.now() - start;
    if (elapsed >= opts.timeoutMs) {
      throw new TimeoutError(
        `${opts.what} not reached after ${elapsed}ms (limit ${opts.timeoutMs}ms)`,
        elapsed,
        opts.timeoutMs,
        { cause: last },
      );
    }
    await clock.sleep(Math.min(interval, opts.timeoutMs - elapsed), opts.signal);
  }
}
