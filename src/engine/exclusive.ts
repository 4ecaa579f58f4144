import type { Scenario } from "../scenario/types.ts";

/**
 * Steps whose effect reaches beyond the scenario's namespace to the nodes every other
 * scenario uses: a stopped zone or a full disk would make a neighbour's steady state fail
 * for reasons that are not its own. Scenarios with such steps run alone under --parallel.
 */
export const NODE_LEVEL_STEPS: readonly string[] = ["stopNodes", "fillDisk", "collectImageGarbage", "taint", "untaint", "cordon", "uncordon"];

export function runsAlone(s: Scenario): boolean {
  const steps = [...s.spec.setup.steps, ...s.spec.fault, ...s.spec.remediate.steps];
  return steps.some((st) => NODE_LEVEL_STEPS.includes(st.type));
}

/** A readers-writer gate: shared holders run together; an exclusive holder runs alone. */
export class Gate {
  #shared = 0;
  #exclusive = false;
  #waiters: (() => void)[] = [];

  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    while (exclusive ? this.#exclusive || this.#shared > 0 : this.#exclusive) await new Promise<void>((r) => this.#waiters.push(r));
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
    try {
      return await work();
    } finally {
      if (exclusive) this.#exclusive = false;
      else this.#shared--;
      for (const w of this.#waiters.splice(0)) w();
    }
  }
}
