import { flushMicrotasks } from "../../src/util/clock.ts";

/** Lets promise chains run until `predicate` holds; fails the test (naming `what`) if it never does. */
export async function until(predicate: () => boolean, what: string, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (predicate()) return;
    await flushMicrotasks(1);
  }
  throw new Error(`test: never reached: ${what}`);
}

/**
 * Lets every pending promise chain and microtask delivery of the fakes run to the end (they
 * use no timers), so that what has not happened by then will not happen without new input.
 */
export async function settled(): Promise<void> {
  await flushMicrotasks(50);
}
