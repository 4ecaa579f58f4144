import { flushMicrotasks } from "../../src/util/clock.ts";

/** Lets promise chains run until `predicate` holds; fails the test (naming `what`) if it never does. */
export async function until(predicate: () => boolean, what: string, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (predicate()) return;
    await flushMicrotasks(1);
  }
  throw new Error(`test: never reached: ${what}`);
}
