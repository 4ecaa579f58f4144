import type { Probe, ProbeResult, EvalContext } from "./types.ts";
import { waitUntil } from "./wait.ts";

/**
 * Keeps a set of probes evaluated: on every view change (stamped with the change's
 * receivedAt) and, for probes that poll, at their interval. Tracks since when all of
 * them have held continuously; waitHold() waits for that to last `holdForMs`.
 */
export class ProbeMonitor {
  readonly #probes: readonly Probe[];
  readonly #ctx: EvalContext;
  readonly #results: (ProbeResult | undefined)[];
  readonly #listeners = new Set<() => void>();
  readonly #stop = new AbortController();
  #since: number | undefined;
  #chain: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(probes: readonly Probe[], ctx: EvalContext) {
    this.#probes = probes;
    this.#ctx = ctx;
    this.#results = probes.map(() => undefined);
  }

  start(): this {
    const onChange = (p: Probe) => !p.pollIntervalMs || p.kinds.length > 0;
    this.#unsubscribe = this.#ctx.view.subscribe((c) => this.#schedule(c.receivedAt, onChange));
    this.#schedule(this.#ctx.clock.now(), () => true);
    for (const probe of this.#probes) if (probe.pollIntervalMs) void this.#poll(probe, probe.pollIntervalMs);
    return this;
  }

  async #poll(probe: Probe, interval: number): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        await this.#ctx.clock.sleep(interval, this.#stop.signal);
      } catch {
        return;
      }
      this.#schedule(this.#ctx.clock.now(), (p) => p === probe);
    }
  }

  #schedule(at: number, which: (p: Probe) => boolean): void {
    this.#chain = this.#chain.then(() => this.#evaluate(at, which));
  }

  async #evaluate(at: number, which: (p: Probe) => boolean): Promise<void> {
    if (this.#stop.signal.aborted) return;
    for (const [i, probe] of this.#probes.entries()) {
      if (!which(probe)) continue;
      try {
        this.#results[i] = await probe.evaluate(this.#ctx);
      } catch (err) {
        this.#results[i] = { ok: false, message: `${probe.describe()}: ${(err as Error).message}`, simulated: false };
      }
    }
    if (this.#stop.signal.aborted) return;
    const ok = this.#results.every((r) => r?.ok === true);
    if (!ok) this.#since = undefined;
    else if (this.#since === undefined) this.#since = at;
    for (const fn of [...this.#listeners]) fn();
  }

  /** Since when all probes have held (ms), or undefined. */
  get holdingSince(): number | undefined {
    return this.#since;
  }

  /** Latest result of each probe (undefined before its first evaluation). */
  get results(): readonly (ProbeResult | undefined)[] {
    return this.#results;
  }

  get probes(): readonly Probe[] {
    return this.#probes;
  }

  /** Resolves once every probe has been evaluated at least once. */
  async settled(): Promise<void> {
    await this.#chain;
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /**
   * Waits until the probes have held for `holdForMs`, counting the hold from no earlier
   * than `from`, with the hold starting no later than `deadline`. Returns when the hold
   * began (ms), or undefined when the deadline passed first.
   */
  async waitHold(o: { holdForMs: number; deadline: number; from?: number; signal?: AbortSignal }): Promise<number | undefined> {
    const clock = this.#ctx.clock;
    const start = () => (this.#since === undefined ? undefined : Math.max(this.#since, o.from ?? Number.NEGATIVE_INFINITY));
    const inTime = (s: number | undefined): s is number => s !== undefined && s <= o.deadline;
    return waitUntil({
      check: () => {
        const s = start();
        return inTime(s) && clock.now() - s >= o.holdForMs ? s : undefined;
      },
      giveUpAt: () => {
        const s = start();
        return inTime(s) ? Math.max(o.deadline, s + o.holdForMs) : o.deadline;
      },
      wakeAt: () => {
        const s = start();
        return inTime(s) ? s + o.holdForMs : undefined;
      },
      subscribe: (fn) => this.subscribe(fn),
      settle: () => this.#chain,
      clock,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  }

  /** Why the probes do not hold: the failing ones' messages. */
  failures(): string[] {
    return this.#probes.flatMap((p, i) => {
      const r = this.#results[i];
      if (r?.ok) return [];
      return [r ? r.message : `${p.describe()}: not evaluated yet`];
    });
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
