import type { Clock } from "../util/clock.ts";
import type { Undo } from "../util/disposable.ts";
import type { FaultHandle } from "./types.ts";
import { API_CONCURRENCY, settleLimited } from "../util/limit.ts";
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

/** How many independent parts of one step go to the API server at once. */
export const INDEPENDENT_LIMIT = API_CONCURRENCY;

/**
 * Runs `undos` newest first (or, when `independent`, side by side, INDEPENDENT_LIMIT at a
 * time); every one runs even when some fail; throws an AggregateError naming the failures.
 */
export async function undoAll(
  undos: { label: string; undo: Undo }[],
  opts: { independent?: boolean } = {},
): Promise<void> {
  const errors: Error[] = [];
  const failed = (label: string, err: unknown) =>
    errors.push(new Error(`${label}: ${(err as Error).message}`, { cause: err }));
  if (opts.independent) {
    const results = await settleLimited(undos, INDEPENDENT_LIMIT, async (u) => u.undo());
    results.forEach((r, i) => r.status === "rejected" && failed(undos[i]!.label, r.reason));
  } else
    for (const u of [...undos].reverse()) {
      try {
        await u.undo();
      } catch (err) {
        failed(u.label, err);
      }
    }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join("; "));
}

/**
 * Does a multi-part step: runs `parts` in order, collecting their undos; if one fails,
 * undoes what was done (logging undo failures) and rethrows the original error. Each
 * part's undo is its own revertible, so reverting again after a partial failure repeats
 * only the parts that failed. `independent`: the parts touch different objects (one node
 * each) and neither their order nor their undos' matters, so both run side by side
 * (INDEPENDENT_LIMIT at a time); when some fail, the others are undone once all have
 * settled, and the first failure (in the parts' order) is thrown.
 */
export async function allOrNothing(
  parts: { label: string; run: () => Promise<Undo> }[],
  log: { warn(m: string): void },
  opts: { simulated?: () => boolean; clock?: Clock; independent?: boolean } = {},
): Promise<FaultHandle> {
  const clock = opts.clock ? { clock: opts.clock } : {};
  const independent = { independent: opts.independent === true };
  const done: { label: string; undo: Undo }[] = [];
  const rollBack = async (part: string, err: unknown): Promise<never> => {
    try {
      await undoAll(done, independent);
    } catch (undoErr) {
      log.warn(`undoing after a failed ${part}: ${(undoErr as Error).message}`);
    }
    throw err;
  };
  if (opts.independent) {
    const results = await settleLimited(parts, INDEPENDENT_LIMIT, async (p) => revertible(await p.run(), clock).revert);
    results.forEach((r, i) => r.status === "fulfilled" && done.push({ label: parts[i]!.label, undo: r.value }));
    const i = results.findIndex((r) => r.status === "rejected");
    results.forEach((r, j) => {
      if (j > i && i >= 0 && r.status === "rejected")
        log.warn(`${parts[j]!.label} failed too: ${(r.reason as Error).message}`);
    });
    if (i >= 0) await rollBack(parts[i]!.label, (results[i] as PromiseRejectedResult).reason);
  } else
    for (const part of parts) {
      try {
        done.push({ label: part.label, undo: revertible(await part.run(), clock).revert });
      } catch (err) {
        await rollBack(part.label, err);
      }
    }
  const simulated = opts.simulated?.();
  return handle(() => undoAll(done, independent), { ...clock, ...(simulated !== undefined ? { simulated } : {}) });
}
