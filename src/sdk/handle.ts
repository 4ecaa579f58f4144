import type { Clock } from "../util/clock.ts";
import type { Undo } from "../util/disposable.ts";
import type { FaultHandle } from "./types.ts";
import { revertible } from "./revertible.ts";

/** A handle whose revert follows the one revert rule (src/sdk/revertible.ts). */
export function handle(undo: Undo, opts: { simulated?: boolean; clock?: Clock } = {}): FaultHandle {
  const h = revertible(undo, opts.clock ? { clock: opts.clock } : {});
  return Object.assign(h, opts.simulated !== undefined ? { simulated: opts.simulated } : {});
}

/** For steps with nothing to undo (a command, a wait, a pod restart). */
export function nothingToRevert(): FaultHandle {
  return handle(() => undefined);
}

/**
 * Runs `undos` newest first; every one runs even when some fail; throws an
 * AggregateError naming the failures.
 */
export async function undoAll(undos: { label: string; undo: Undo }[]): Promise<void> {
  const errors: Error[] = [];
  for (const u of [...undos].reverse()) {
    try {
      await u.undo();
    } catch (err) {
      errors.push(new Error(`${u.label}: ${(err as Error).message}`, { cause: err }));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
}

/**
 * Does a multi-part step: runs `parts` in order, collecting their undos; if one fails,
 * undoes what was done (logging undo failures) and rethrows the original error. Each
 * part's undo is its own revertible, so reverting again after a partial failure repeats
 * only the parts that failed.
 */
export async function allOrNothing(
  parts: { label: string; run: () => Promise<Undo> }[],
  log: { warn(m: string): void },
  opts: { simulated?: () => boolean; clock?: Clock } = {},
): Promise<FaultHandle> {
  const clock = opts.clock ? { clock: opts.clock } : {};
  const done: { label: string; undo: Undo }[] = [];
  for (const part of parts) {
    try {
      done.push({ label: part.label, undo: revertible(await part.run(), clock).revert });
    } catch (err) {
      try {
        await undoAll(done);
      } catch (undoErr) {
        log.warn(`undoing after a failed ${part.label}: ${(undoErr as Error).message}`);
      }
      throw err;
    }
  }
  const simulated = opts.simulated?.();
  return handle(() => undoAll(done), { ...clock, ...(simulated !== undefined ? { simulated } : {}) });
}
