import type { Probe, ProbeResult, EvalContext, StepContext } from "../sdk/types.ts";
import { EvalSlot, wantsChange, type Outcome } from "./slot.ts";
import { waitUntil } from "./wait.ts";

interface ProbeState {
  result?: ProbeResult;
  /** When the latest evaluation started, and the epoch it started in. */
  startedAt?: number;
  epoch: number;
  /** Stamp of the first OK evaluation of the current OK streak (in the current epoch). */
  okSince?: number;
}

/**
 * Keeps a set of probes evaluated: each when a change of one of its `kinds` arrives and,
 * for probes that poll, at their interval — coalesced per probe (one evaluation in flight,
 * one pending; see slot.ts), each result stamped when it is known (slot.ts: Outcome.at).
 * Tracks since when all of them have held continuously; waitHold() waits for that to
 * last `holdForMs`.
 *
 * countFrom(t) starts a new epoch (the fault start): the hold so far is forgotten, only
 * evaluations started from then on count, and whether any of them failed is recorded.
 */
export class ProbeMonitor {
  readonly #probes: readonly Probe[];
  readonly #ctx: EvalContext;
  readonly #states: ProbeState[];
  readonly #slots: EvalSlot<ProbeResult>[];
  readonly #listeners = new Set<() => void>();
  readonly #stop = new AbortController();
  #epoch = 0;
  #from: number | undefined;
  #failedSinceFrom = false;
  #unsubscribe: (() => void) | undefined;

  constructor(probes: readonly Probe[], ctx: EvalContext) {
    this.#probes = probes;
    this.#ctx = ctx;
    this.#states = probes.map(() => ({ epoch: 0 }));
    this.#slots = probes.map(
      (probe, i) =>
        new EvalSlot<ProbeResult>({
          run: () => probe.evaluate(ctx),
          clock: ctx.clock,
          epoch: () => this.#epoch,
          onOutcome: (o) => this.#record(i, o),
        }),
    );
  }

  start(): this {
    this.#unsubscribe = this.#ctx.view.subscribe((c) => {
      for (const [i, probe] of this.#probes.entries()) if (wantsChange(probe, c)) this.#slots[i]!.request(c.receivedAt);
    });
    for (const slot of this.#slots) slot.request();
    for (const [i, probe] of this.#probes.entries()) if (probe.pollIntervalMs) void this.#poll(i, probe.pollIntervalMs);
    return this;
  }

  async #poll(i: number, interval: number): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        await this.#ctx.clock.sleep(interval, this.#stop.signal);
      } catch {
        return;
      }
      this.#slots[i]!.request();
    }
  }

  #record(i: number, o: Outcome<ProbeResult>): void {
    if (this.#stop.signal.aborted) return;
    const probe = this.#probes[i]!;
    const st = this.#states[i]!;
    const r: ProbeResult = o.error
      ? { ok: false, message: `${probe.describe()}: ${o.error.message}`, simulated: false }
      : o.value!;
    st.result = r;
    st.startedAt = o.startedAt;
    st.epoch = o.epoch;
    const current = o.epoch === this.#epoch;
    if (!r.ok) {
      st.okSince = undefined;
      if (current && this.#from !== undefined && o.at >= this.#from) this.#failedSinceFrom = true;
    } else if (st.okSince === undefined && current) {
      st.okSince = o.at;
    }
    for (const fn of [...this.#listeners]) fn();
  }

  /**
   * From this moment (the fault start) the hold counts afresh: what held before is
   * forgotten and every probe must be evaluated again (an evaluation started at or after
   * `ms`) before it counts as holding.
   */
  countFrom(ms: number): void {
    this.#epoch++;
    this.#from = ms;
    this.#failedSinceFrom = false;
    for (const st of this.#states) st.okSince = undefined;
  }

  /** Whether any probe failed in an evaluation started at or after countFrom(). */
  get failedSinceCountFrom(): boolean {
    return this.#failedSinceFrom;
  }

  /** Since when all probes have held (ms), or undefined. */
  get holdingSince(): number | undefined {
    return this.#holdingSince(undefined);
  }

  /** As holdingSince, also requiring each probe's latest evaluation to have started at or after `from`. */
  #holdingSince(from: number | undefined): number | undefined {
    let since = Number.NEGATIVE_INFINITY;
    for (const st of this.#states) {
      if (!st.result?.ok || st.epoch !== this.#epoch || st.okSince === undefined) return undefined;
      if (from !== undefined && (st.startedAt ?? Number.NEGATIVE_INFINITY) < from) return undefined;
      since = Math.max(since, st.okSince);
    }
    return this.#states.length ? since : undefined;
  }

  /** Re-evaluates every probe whose latest evaluation started before `from` (or before countFrom()). */
  #refresh(from: number): void {
    for (const [i, st] of this.#states.entries())
      if (st.epoch !== this.#epoch || st.startedAt === undefined || st.startedAt < from) this.#slots[i]!.request();
  }

  /** Latest result of each probe (undefined before its first evaluation). */
  get results(): readonly (ProbeResult | undefined)[] {
    return this.#states.map((s) => s.result);
  }

  get probes(): readonly Probe[] {
    return this.#probes;
  }

  /** Resolves once every evaluation requested so far (at least the first of each probe) is done. */
  async settled(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.served()));
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /**
   * Waits until the probes have held for `holdForMs`, counting the hold from no earlier
   * than `from` (default: the countFrom() moment), with the hold starting no later than
   * `deadline`. Once `from` is reached, every probe whose latest evaluation started
   * before it is evaluated again, and the hold needs each probe's latest evaluation to
   * have started at or after `from` (so a polled probe's OK from before the fault, or
   * before detection, is not taken as recovery). Returns when the hold began (ms), or
   * undefined when the deadline passed first.
   */
  async waitHold(o: {
    holdForMs: number;
    deadline: number;
    from?: number;
    signal?: AbortSignal;
  }): Promise<number | undefined> {
    const clock = this.#ctx.clock;
    const from = o.from ?? this.#from;
    let refreshed = from === undefined;
    const refresh = () => {
      if (refreshed || clock.now() < from!) return;
      refreshed = true;
      this.#refresh(from!);
    };
    const start = () => {
      const since = this.#holdingSince(from);
      return since === undefined ? undefined : Math.max(since, from ?? Number.NEGATIVE_INFINITY);
    };
    const inTime = (s: number | undefined): s is number => s !== undefined && s <= o.deadline;
    return waitUntil({
      check: () => {
        refresh();
        const s = start();
        return inTime(s) && clock.now() - s >= o.holdForMs ? s : undefined;
      },
      giveUpAt: () => {
        const s = start();
        return inTime(s) ? Math.max(o.deadline, s + o.holdForMs) : o.deadline;
      },
      wakeAt: () => {
        if (!refreshed) return from;
        const s = start();
        return inTime(s) ? s + o.holdForMs : undefined;
      },
      subscribe: (fn) => this.subscribe(fn),
      settle: () => this.settled(),
      clock,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  }

  /** Why the probes do not hold: the failing ones' messages. */
  failures(): string[] {
    return this.#probes.flatMap((p, i) => {
      const st = this.#states[i]!;
      const r = st.result;
      if (r?.ok) return st.epoch === this.#epoch ? [] : [`${p.describe()}: not evaluated again since the fault`];
      return [r ? r.message : `${p.describe()}: not evaluated yet`];
    });
  }

  stop(): void {
    this.#stop.abort();
    this.#unsubscribe?.();
    for (const slot of this.#slots) slot.stop();
    this.#listeners.clear();
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}

/** The StepContext.holdUntil the engine gives steps (the `wait` step). */
export function holdUntil(ctx: EvalContext): StepContext["holdUntil"] {
  return async (probes, deadline) => {
    using monitor = new ProbeMonitor([...probes], ctx).start();
    const at = await monitor.waitHold({ holdForMs: 0, deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return at === undefined ? { failures: monitor.failures() } : { at, failures: [] };
  };
}
