import type { Clock } from "../util/clock.ts";

/**
 * Sends write `seq`: resolves "ok" when the store acknowledged it, otherwise why not (an
 * HTTP status, a connection error code, "timed out"). It must not reject.
 */
export type SendWrite = (seq: number, signal: AbortSignal) => Promise<"ok" | string>;

/** The outcome of the latest write that has been answered (or given up on). */
export interface LastWrite {
  seq: number;
  ok: boolean;
  why?: string;
}

/** Writes in flight at most; beyond it a tick is skipped (counted as "not sent"). */
export const MAX_IN_FLIGHT = 64;

/**
 * The client side of an RPO measurement: writes numbered 1, 2, 3, ... at a steady rate
 * (open loop: a write does not wait for the previous answer, as clients of a real store do
 * not), remembering every sequence number the store acknowledged. What was not
 * acknowledged is counted by reason and never counted as lost. `stop()` stops the
 * schedule and waits for the writes in flight to be answered or time out (each `send`
 * ends by its own deadline), so that the acknowledged set is final when it settles.
 */
export class AckWriter {
  readonly acknowledged = new Set<number>();
  /** Writes not acknowledged, by reason ("HTTP 507", "ECONNREFUSED", "not sent", ...). */
  readonly refused = new Map<string, number>();
  last: LastWrite | undefined;
  #next = 1;
  #loop: Promise<void> | undefined;
  #halt = new AbortController();
  #inFlight = new Set<Promise<void>>();
  #cancel = new AbortController();
  #stopped: Promise<void> | undefined;

  constructor(private readonly send: SendWrite) {}

  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  get notAcknowledged(): number {
    return [...this.refused.values()].reduce((a, b) => a + b, 0);
  }

  /** Writes `rps` times a second on the clock's time until stopped, the first at once. */
  start(rps: number, clock: Clock): this {
    if (this.#loop || this.stopped) return this;
    const t0 = clock.now();
    this.writeOne();
    this.#loop = (async () => {
      for (let i = 1; !this.#halt.signal.aborted; i++) {
        try {
          await clock.sleep(Math.max(0, t0 + (i * 1000) / rps - clock.now()), this.#halt.signal);
        } catch {
          return; // stopped
        }
        this.writeOne();
      }
    })();
    return this;
  }

  /** One write, now (the schedule calls it; so can a test). */
  writeOne(): void {
    if (this.#halt.signal.aborted) return;
    const seq = this.#next++;
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return this.#refuse(seq, "not sent (too many writes in flight)");
    const p: Promise<void> = this.send(seq, this.#cancel.signal)
      .catch((err: Error) => err.message || "error")
      .then((answer) => (answer === "ok" ? this.#ack(seq) : this.#refuse(seq, answer)))
      .finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  /** Stops writing and waits for the writes in flight; idempotent. */
  stop(): Promise<void> {
    this.#halt.abort();
    this.#stopped ??= (async () => {
      await this.#loop;
      await Promise.all(this.#inFlight);
    })();
    return this.#stopped;
  }

  /** Stops at once, cancelling what is in flight (those writes count as not acknowledged). */
  abort(): Promise<void> {
    this.#cancel.abort(new Error("writer stopped"));
    return this.stop();
  }

  #ack(seq: number): void {
    this.acknowledged.add(seq);
    if (!this.last || seq >= this.last.seq) this.last = { seq, ok: true };
  }

  #refuse(seq: number, why: string): void {
    this.refused.set(why, (this.refused.get(why) ?? 0) + 1);
    if (!this.last || seq >= this.last.seq) this.last = { seq, ok: false, why };
  }
}
