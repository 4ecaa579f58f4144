import { iso } from "../report/time.ts";
import { phaseTimes } from "../report/timing.ts";
import type { Phase, PhaseTimes, TimelineEntry } from "../report/types.ts";
import type { Clock } from "../util/clock.ts";
import { formatMs } from "../util/duration.ts";
import type { Logger } from "../util/log.ts";

/**
 * Timestamps each phase and notable moment of one attempt, and logs them as progress
 * (phase and elapsed time) through the Logger, whose format (text/json) is its own.
 */
export class Timeline {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #start: number;
  readonly #entries: { at: number; phase: Phase; what: string }[] = [];
  readonly #onPhase: ((phase: Phase, at: number) => void) | undefined;
  #phase: Phase = "setup";
  /** Each phase entered and when; setup from the start (the attempt begins in it). */
  readonly #entered: { phase: Phase; at: number }[];

  /** `onPhase` is told of each phase entered, once its entry is recorded. */
  constructor(clock: Clock, log: Logger, start: number, onPhase?: (phase: Phase, at: number) => void) {
    this.#clock = clock;
    this.#log = log;
    this.#start = start;
    this.#onPhase = onPhase;
    this.#entered = [{ phase: "setup", at: start }];
  }

  get current(): Phase {
    return this.#phase;
  }

  phase(phase: Phase, what = `${phase} started`): void {
    this.#phase = phase;
    this.note(what, "info");
    const at = this.#entries.at(-1)!.at;
    if (this.#entered.at(-1)!.phase !== phase) this.#entered.push({ phase, at });
    this.#onPhase?.(phase, at);
  }

  /** Wall time per phase entered, the last one lasting until `end`: they add up to `end` - start. */
  phaseTimes(end: number): PhaseTimes {
    return phaseTimes(this.#entered, end);
  }

  note(what: string, level: "info" | "debug" | "warn" = "info"): void {
    const at = this.#clock.now();
    this.#entries.push({ at, phase: this.#phase, what });
    const elapsedMs = at - this.#start;
    this.#log.log(level, `${this.#phase} [${formatMs(elapsedMs)}] ${what}`, { phase: this.#phase, elapsedMs });
  }

  /** Report entries; offsets are from the fault start when there was one. */
  entries(faultStart: number | undefined): TimelineEntry[] {
    return this.#entries.map((e) => ({
      at: iso(e.at),
      ...(faultStart !== undefined ? { offsetMs: e.at - faultStart } : {}),
      phase: e.phase,
      what: e.what,
    }));
  }
}
