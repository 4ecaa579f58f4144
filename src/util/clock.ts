import { MAX_TIMER_MS } from "./duration.ts";

/** Time, injected so that timing maths and waits can be tested without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock. A sleep longer than a Node timer can hold (2^31-1 ms, MAX_TIMER_MS) is
 * slept in parts: a longer delay would fire after 1ms (and then every millisecond in a loop).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let left = Number.isNaN(ms) ? 0 : Math.max(0, ms);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const next = () => {
        if (left <= 0) {
          signal?.removeEventListener("abort", onAbort);
          return resolve();
        }
        const part = Math.min(left, MAX_TIMER_MS);
        left -= part;
        timer = setTimeout(next, part);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const first = Math.min(left, MAX_TIMER_MS);
      left -= first;
      timer = setTimeout(next, first);
    }),
};

/** A clock that only moves when told to; sleepers wake in time order. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: { until: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      // a sleeper woken by advance() leaves no listener behind on a long-lived signal
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const sleeper = { until: this.#now + ms, resolve: wake, reject };
      this.#sleepers.push(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Moves time forward, waking sleepers due by then (letting promise chains run between). */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      this.#sleepers.sort((a, b) => a.until - b.until);
      const next = this.#sleepers[0];
      if (!next || next.until > target) break;
      this.#sleepers.shift();
      this.#now = next.until;
      next.resolve();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Number of pending sleeps (useful to wait until code under test is parked). */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }
}

export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
