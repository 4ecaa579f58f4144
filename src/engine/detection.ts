import type { Detector, EvalContext, Signal } from "./types.ts";
import type { ViewChange } from "./view.ts";
import { waitUntil } from "./wait.ts";

export interface Sighting {
  index: number;
  detector: Detector;
  signal: Signal;
  /** ms since the epoch: the watch event's receivedAt (or the poll time). */
  at: number;
}

/**
 * Runs the detectors from before the fault is injected (so no event can slip between
 * injection and subscription) but counts only what is seen at or after `countFrom()`,
 * the fault start. Keeps the first sighting of each detector; keeps listening after the
 * detect phase ends so that late sightings still give a (missed) TTD.
 */
export class DetectionMonitor {
  readonly #detectors: readonly Detector[];
  readonly #ctx: EvalContext;
  readonly #mode: "all" | "any";
  readonly #sightings = new Map<number, Sighting>();
  readonly #listeners = new Set<() => void>();
  readonly #stop = new AbortController();
  readonly #errors = new Set<string>();
  #from: number | undefined;
  #chain: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(detectors: readonly Detector[], ctx: EvalContext, mode: "all" | "any") {
    this.#detectors = detectors;
    this.#ctx = ctx;
    this.#mode = mode;
  }

  start(): this {
    this.#unsubscribe = this.#ctx.view.subscribe((c) => this.#schedule(c.receivedAt, c, (d) => !d.pollIntervalMs || d.kinds.length > 0));
    for (const d of this.#detectors) if (d.pollIntervalMs) void this.#poll(d, d.pollIntervalMs);
    return this;
  }

  /** From this moment (the fault start) sightings count. */
  countFrom(ms: number): void {
    this.#from = ms;
  }

  async #poll(detector: Detector, interval: number): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        await this.#ctx.clock.sleep(interval, this.#stop.signal);
      } catch {
        return;
      }
      this.#schedule(this.#ctx.clock.now(), undefined, (d) => d === detector);
    }
  }

  #schedule(at: number, change: ViewChange | undefined, which: (d: Detector) => boolean): void {
    if (this.#from === undefined || at < this.#from) return;
    this.#chain = this.#chain.then(() => this.#match(at, change, which));
  }

  async #match(at: number, change: ViewChange | undefined, which: (d: Detector) => boolean): Promise<void> {
    let found = false;
    for (const [index, detector] of this.#detectors.entries()) {
      if (this.#stop.signal.aborted) return;
      if (this.#sightings.has(index) || !which(detector)) continue;
      try {
        const signal = await detector.match(this.#ctx, change);
        if (!signal) continue;
        const when = signal.at ?? at;
        this.#sightings.set(index, { index, detector, signal, at: when });
        this.#ctx.log.info(`signal seen: ${detector.describe()}: ${signal.text}`, { signal: detector.describe() });
        found = true;
      } catch (err) {
        const message = `${detector.describe()}: ${(err as Error).message}`;
        if (!this.#errors.has(message)) this.#ctx.log.warn(message); // once, not on every event
        this.#errors.add(message);
      }
    }
    if (found) for (const fn of [...this.#listeners]) fn();
  }

  get detectors(): readonly Detector[] {
    return this.#detectors;
  }

  sightings(): Sighting[] {
    return [...this.#sightings.values()].sort((a, b) => a.index - b.index);
  }

  /** all: the last of the first sightings once every detector has one; any: the first. */
  detectedAt(): number | undefined {
    const times = this.sightings().map((s) => s.at);
    if (this.#detectors.length === 0) return undefined;
    if (this.#mode === "any") return times.length > 0 ? Math.min(...times) : undefined;
    return times.length === this.#detectors.length ? Math.max(...times) : undefined;
  }

  /** Waits until detection is complete or `deadline` passes; returns whether it completed. */
  async waitComplete(deadline: number, signal?: AbortSignal): Promise<boolean> {
    const at = await waitUntil({
      check: () => this.detectedAt(),
      giveUpAt: () => deadline,
      subscribe: (fn) => {
        this.#listeners.add(fn);
        return () => this.#listeners.delete(fn);
      },
      settle: () => this.#chain,
      clock: this.#ctx.clock,
      ...(signal ? { signal } : {}),
    });
    return at !== undefined;
  }

  stop(): void {
    this.#stop.abort();
    this.#unsubscribe?.();
    this.#listeners.clear();
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}
