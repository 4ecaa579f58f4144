import { GuardTrippedError } from "../errors.ts";
import type { ProbeSpec } from "../scenario/types.ts";
import type { EvalContext, Probe } from "../sdk/types.ts";
import { ProbeMonitor } from "./monitor.ts";

/**
 * The abort guards of one attempt (spec.abortWhen): probes kept evaluated, as the steady
 * state is (on watch events of their kinds, and at their poll interval), from the end of
 * setup until cleanup starts. The first failed evaluation trips the guards once: `onTrip`
 * gets a GuardTrippedError naming the guard (its field in the file and its description)
 * and what it saw; the runner aborts the attempt with it, so that the normal cleanup path
 * reverts everything.
 */
export class AbortGuards {
  readonly #monitor: ProbeMonitor | undefined;
  readonly #specs: readonly ProbeSpec[];
  readonly #ctx: EvalContext;
  readonly #phase: () => string;
  readonly #onTrip: (err: GuardTrippedError) => void;
  #tripped: GuardTrippedError | undefined;
  #unsubscribe: (() => void) | undefined;

  /** `specs[i]` is where `probes[i]` is written; `phase` names the attempt's current phase. */
  constructor(
    probes: readonly Probe[],
    specs: readonly ProbeSpec[],
    ctx: EvalContext,
    o: { phase: () => string; onTrip: (err: GuardTrippedError) => void },
  ) {
    this.#monitor = probes.length ? new ProbeMonitor(probes, ctx) : undefined;
    this.#specs = specs;
    this.#ctx = ctx;
    this.#phase = o.phase;
    this.#onTrip = o.onTrip;
  }

  start(): this {
    if (!this.#monitor) return this;
    this.#unsubscribe = this.#monitor.subscribe(() => this.#check());
    this.#monitor.start();
    return this;
  }

  /** The error of the first guard that failed, once one has. */
  get tripped(): GuardTrippedError | undefined {
    return this.#tripped;
  }

  #check(): void {
    if (this.#tripped || !this.#monitor) return;
    const i = this.#monitor.results.findIndex((r) => r !== undefined && !r.ok);
    if (i < 0) return;
    const probe = this.#monitor.probes[i]!;
    const evidence = this.#monitor.results[i]!.message;
    const field = this.#specs[i]?.loc.field ?? `spec.abortWhen[${i}]`;
    const at = this.#ctx.clock.now();
    this.#tripped = new GuardTrippedError(
      `abort guard ${field} (${probe.describe()}) failed during ${this.#phase()}: ${evidence}`,
      { field, probe: probe.describe(), evidence, at },
    );
    this.#onTrip(this.#tripped);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#monitor?.stop();
  }
}
