import type { Detector, EvalContext, Signal } from "../sdk/types.ts";
import { EvalSlot, wantsChange, type Outcome } from "./slot.ts";
import type { ViewChange } from "./view.ts";
import { waitUntil } from "./wait.ts";

/**
 * A signal that says when it happened in the cluster (an Event's own timestamps) is
 * ignored when that is more than this long before the fault start: an old Event that is
 * modified or re-delivered after the fault is not a new sighting. The margin covers
 * clock skew and Event timestamps' whole seconds.
 */
const EVENT_TIME_TOLERANCE_MS = 1000;

export interface Sighting {
  index: number;
  detector: Detector;
  signal: Signal;
  /** ms since the epoch: when it was seen (see start()). */
  at: number;
}

interface StateTrack {
  /** Whether the latest evaluation saw the signal (undefined: never evaluated). */
  present?: boolean;
  /** The change that asked for the next evaluation (state detectors ignore it). */
  change?: ViewChange;
}

/**
 * Runs the detectors from before the fault is injected (so no event can slip between
 * injection and subscription) but counts only what is seen after `countFrom()`, the
 * fault start. Keeps the first sighting of each detector; keeps listening after the
 * detect phase ends so that late sightings still give a (missed) TTD.
 *
 * - Per-change detectors (`perChange`: events) judge each change of their kinds as it
 *   arrives; one received before the fault start does not count, nor one whose own time
 *   (`signal.occurredAt`) is older than the fault start minus EVENT_TIME_TOLERANCE_MS. A
 *   sighting is stamped with the change's receivedAt.
 * - State detectors (condition, field, taint, finding, probeFails) evaluate the cached
 *   state when a change of their kinds arrives (and at their poll interval), coalesced as
 *   slot.ts describes and stamped when the answer is known. They are evaluated from
 *   start() on, and baseline() evaluates them once more right before the injection. A
 *   state that is already present then counts only after an evaluation has seen it
 *   absent and a later one (started after the fault start) sees it again: a condition,
 *   taint or finding that existed before the fault is not detection of the fault. An
 *   evaluation that started before the fault start and answers "present" after it was
 *   absent is inconclusive: it is asked again rather than taken as a state from before.
 */
export class DetectionMonitor {
  readonly #detectors: readonly Detector[];
  readonly #ctx: EvalContext;
  readonly #mode: "all" | "any";
  readonly #sightings = new Map<number, Sighting>();
  readonly #listeners = new Set<() => void>();
  readonly #stop = new AbortController();
  readonly #errors = new Set<string>();
  readonly #tracks: StateTrack[];
  readonly #slots: (EvalSlot<Signal | undefined> | undefined)[];
  readonly #pending = new Set<Promise<void>>();
  /** State detectors present at the baseline and not seen absent since. */
  readonly #lingering = new Set<number>();
  readonly #onSighting: ((s: Sighting) => void) | undefined;
  #from: number | undefined;
  #unsubscribe: (() => void) | undefined;

  /** `onSighting` is told of each sighting that counts, as it is recorded. */
  constructor(
    detectors: readonly Detector[],
    ctx: EvalContext,
    mode: "all" | "any",
    onSighting?: (s: Sighting) => void,
  ) {
    this.#detectors = detectors;
    this.#ctx = ctx;
    this.#mode = mode;
    this.#onSighting = onSighting;
    this.#tracks = detectors.map(() => ({}));
    this.#slots = detectors.map((d, i) =>
      d.perChange
        ? undefined
        : new EvalSlot<Signal | undefined>({
            run: () => d.match(ctx, this.#tracks[i]!.change),
            clock: ctx.clock,
            epoch: () => (this.#from === undefined ? 0 : 1),
            onOutcome: (o) => this.#onState(i, o),
          }),
    );
  }

  start(): this {
    this.#unsubscribe = this.#ctx.view.subscribe((c) => {
      for (const [i, d] of this.#detectors.entries()) {
        if (this.#sightings.has(i) || !wantsChange(d, c)) continue;
        const slot = this.#slots[i];
        if (!slot) this.#onChange(i, c);
        else {
          this.#tracks[i]!.change = c;
          slot.request(c.receivedAt);
        }
      }
    });
    for (const slot of this.#slots) slot?.request();
    for (const [i, d] of this.#detectors.entries())
      if (d.pollIntervalMs && this.#slots[i]) void this.#poll(i, d.pollIntervalMs);
    return this;
  }

  /**
   * Evaluates every state detector now (right before the injection) and waits for it;
   * returns the descriptions of those whose signal is already present.
   */
  async baseline(): Promise<string[]> {
    for (const [i, slot] of this.#slots.entries()) {
      if (!slot) continue;
      this.#tracks[i]!.change = undefined;
      slot.request();
    }
    await Promise.all(this.#slots.map((s) => s?.served()));
    this.#lingering.clear();
    for (const [i, t] of this.#tracks.entries()) if (t.present === true) this.#lingering.add(i);
    return [...this.#lingering].map((i) => this.#detectors[i]!.describe());
  }

  /** Indices of the detectors whose signal was present at the baseline and has not been seen absent since. */
  lingering(): number[] {
    return [...this.#lingering].filter((i) => !this.#sightings.has(i)).sort((a, b) => a - b);
  }

  /** From this moment (the fault start) sightings count. */
  countFrom(ms: number): void {
    this.#from = ms;
  }

  async #poll(i: number, interval: number): Promise<void> {
    while (!this.#stop.signal.aborted && !this.#sightings.has(i)) {
      try {
        await this.#ctx.clock.sleep(interval, this.#stop.signal);
      } catch {
        return;
      }
      if (this.#sightings.has(i)) return;
      this.#tracks[i]!.change = undefined;
      this.#slots[i]!.request();
    }
  }

  #onState(i: number, o: Outcome<Signal | undefined>): void {
    if (this.#stop.signal.aborted) return;
    if (o.error) return this.#failed(i, o.error);
    const track = this.#tracks[i]!;
    const was = track.present;
    if (o.value && o.epoch === 0 && this.#from !== undefined && was !== true) {
      // started before the fault, answered after it (a kubectl exec that straddles the
      // injection): it may or may not have seen the fault, so it neither counts nor marks
      // the state as present from before; an evaluation started now decides
      this.#slots[i]!.request();
      return;
    }
    track.present = o.value !== undefined;
    if (!track.present) this.#lingering.delete(i);
    // before the fault (started before countFrom, or reading a state as of an earlier
    // change): only tracked; already present: must be seen absent first
    if (!o.value || o.epoch === 0 || o.at < this.#from! || was === true) return;
    this.#sight(i, o.value, o.value.at ?? o.at);
  }

  #onChange(i: number, change: ViewChange): void {
    if (this.#from === undefined || change.receivedAt < this.#from) return;
    let r: ReturnType<Detector["match"]>;
    try {
      r = this.#detectors[i]!.match(this.#ctx, change);
    } catch (err) {
      return this.#failed(i, err as Error);
    }
    if (r instanceof Promise) {
      const p: Promise<void> = r
        .then(
          (s) => void (s && this.#sight(i, s, s.at ?? this.#ctx.clock.now())),
          (err: Error) => this.#failed(i, err),
        )
        .finally(() => this.#pending.delete(p));
      this.#pending.add(p);
    } else if (r) {
      this.#sight(i, r, r.at ?? change.receivedAt);
    }
  }

  #sight(index: number, signal: Signal, at: number): void {
    if (this.#stop.signal.aborted || this.#sightings.has(index) || this.#from === undefined) return;
    const detector = this.#detectors[index]!;
    if (signal.occurredAt !== undefined && signal.occurredAt < this.#from - EVENT_TIME_TOLERANCE_MS) {
      this.#ctx.log.debug(
        `ignored (happened ${this.#from - signal.occurredAt}ms before the fault): ${detector.describe()}: ${signal.text}`,
      );
      return;
    }
    const sighting = { index, detector, signal, at };
    this.#sightings.set(index, sighting);
    this.#ctx.log.info(`signal seen: ${detector.describe()}: ${signal.text}`, { signal: detector.describe() });
    this.#onSighting?.(sighting);
    for (const fn of [...this.#listeners]) fn();
  }

  #failed(i: number, err: Error): void {
    const message = `${this.#detectors[i]!.describe()}: ${err.message}`;
    if (!this.#errors.has(message)) this.#ctx.log.warn(message); // once, not on every event
    this.#errors.add(message);
  }

  async #settled(): Promise<void> {
    await Promise.all([...this.#slots.map((s) => s?.served()), ...this.#pending]);
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
      settle: () => this.#settled(),
      clock: this.#ctx.clock,
      ...(signal ? { signal } : {}),
    });
    return at !== undefined;
  }

  stop(): void {
    this.#stop.abort();
    this.#unsubscribe?.();
    for (const slot of this.#slots) slot?.stop();
    this.#listeners.clear();
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}
