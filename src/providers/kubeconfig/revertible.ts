import type { Revertible } from "../provider.ts";

/**
 * A Revertible around an undo action: concurrent calls share one run; once it has
 * succeeded, later calls do nothing; if it failed, the next call tries again (so a
 * cleanup stack can retry a revert that hit a transient error).
 */
export function revertible(undo: () => Promise<void>): Revertible {
  let done = false;
  let running: Promise<void> | undefined;
  const revert = (): Promise<void> => {
    if (done) return Promise.resolve();
    running ??= undo().then(
      () => {
        done = true;
        running = undefined;
      },
      (err: unknown) => {
        running = undefined;
        throw err;
      },
    );
    return running;
  };
  return { revert, [Symbol.asyncDispose]: revert };
}
