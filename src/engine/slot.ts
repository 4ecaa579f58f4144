import type { Clock } from "../util/clock.ts";
import type { Need } from "../sdk/types.ts";
import type { ViewChange } from "./view.ts";

/** One finished evaluation: its value (or error), when it started, and its time stamp. */
export interface Outcome<T> {
  value?: T;
  error?: Error;
  /** clock.now() just before evaluating. */
  startedAt: number;
  /**
   * As of when the answer is known to be true. A synchronous evaluation reads the cache
   * as it is: when it runs inside the delivery of a change (request(asOf)), that is the
   * state as of the change's receivedAt, so it is stamped then; otherwise (a poll, a
   * re-check, an evaluation deferred while another ran) at `startedAt`. An asynchronous
   * one (a command, an HTTP GET) observes the world somewhere between its start and its
   * end, so it is stamped at its end. A stamp never precedes the observation (so TTD and
   * RTO are never under-measured) and never precedes the slot's previous stamp.
   */
  at: number;
  /** The owner's epoch when the evaluation started (see ProbeMonitor.countFrom). */
  epoch: number;
}

const isThenable = <T>(v: unknown): v is PromiseLike<T> => typeof (v as { then?: unknown } | null)?.then === "function";

/**
 * Evaluates one probe/detector with coalescing: at most one evaluation in flight and one
 * pending request. Requests that arrive while an evaluation runs only set a dirty flag;
 * when it ends, one more evaluation (reading the state at that time) follows. A
 * synchronous evaluation runs at once, inside request(), so it reads the state exactly
 * as it is when the change is delivered.
 */
export class EvalSlot<T> {
  readonly #run: () => T | PromiseLike<T>;
  readonly #clock: Clock;
  readonly #epoch: () => number;
  readonly #onOutcome: (o: Outcome<T>) => void;
  #busy = false;
  #dirty = false;
  #stopped = false;
  #requested = 0;
  #served = 0;
  #lastAt = Number.NEGATIVE_INFINITY;
  #waiters: { n: number; resolve: () => void }[] = [];

  constructor(o: {
    run: () => T | PromiseLike<T>;
    clock: Clock;
    epoch: () => number;
    onOutcome: (o: Outcome<T>) => void;
  }) {
    this.#run = o.run;
    this.#clock = o.clock;
    this.#epoch = o.epoch;
    this.#onOutcome = o.onOutcome;
  }

  /**
   * Asks for an evaluation that starts no earlier than now. `asOf`: the receivedAt of the
   * change being delivered (the cache holds the state as of then); used as the stamp if
   * the evaluation runs synchronously right away.
   */
  request(asOf?: number): void {
    if (this.#stopped) return;
    this.#requested++;
    this.#dirty = true;
    if (!this.#busy) void this.#drain(asOf);
  }

  /** Resolves once every evaluation requested so far has been done (or the slot stopped). */
  served(): Promise<void> {
    const n = this.#requested;
    if (this.#stopped || this.#served >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  stop(): void {
    this.#stopped = true;
    this.#dirty = false;
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  async #drain(asOf: number | undefined): Promise<void> {
    this.#busy = true;
    let inline = true; // still inside request(): the cache is as of `asOf`
    try {
      while (this.#dirty && !this.#stopped) {
        this.#dirty = false;
        const covers = this.#requested;
        const epoch = this.#epoch();
        const startedAt = this.#clock.now();
        const readAt = Math.max(inline && asOf !== undefined ? Math.min(asOf, startedAt) : startedAt, this.#lastAt);
        let outcome: Outcome<T>;
        try {
          const r = this.#run();
          if (isThenable<T>(r)) {
            inline = false;
            const value = await r;
            outcome = { value, startedAt, at: this.#clock.now(), epoch };
          } else {
            outcome = { value: r, startedAt, at: readAt, epoch };
          }
        } catch (err) {
          outcome = {
            error: err instanceof Error ? err : new Error(String(err)),
            startedAt,
            at: inline ? readAt : this.#clock.now(),
            epoch,
          };
        }
        if (this.#stopped) return;
        this.#lastAt = outcome.at;
        this.#served = covers;
        this.#onOutcome(outcome);
        this.#waiters = this.#waiters.filter((w) => (w.n <= this.#served ? (w.resolve(), false) : true));
      }
    } finally {
      this.#busy = false;
    }
  }
}

/** Whether a change concerns one of these needs (same type; same namespace when narrowed). */
function concerns(kinds: readonly Need[], change: ViewChange): boolean {
  const ns = change.object?.metadata.namespace;
  return kinds.some(
    (k) =>
      k.apiVersion === change.resource.apiVersion &&
      k.kind === change.resource.kind &&
      (k.namespace === undefined || ns === undefined || ns === k.namespace),
  );
}

/**
 * Whether a probe/detector is re-evaluated on this change: when the change's type is among
 * its kinds; one with neither kinds nor a poll interval on every change.
 */
export function wantsChange(x: { kinds: readonly Need[]; pollIntervalMs?: number }, change: ViewChange): boolean {
  if (x.kinds.length === 0) return !x.pollIntervalMs;
  return concerns(x.kinds, change);
}
