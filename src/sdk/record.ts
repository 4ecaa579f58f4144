import { ANNOTATION_ORIGINAL, LABEL_RUN_ID, LABEL_SCENARIO, type KObject } from "../k8s/types.ts";
import type { StepContext } from "./types.ts";
import { ANNOTATION_MARKED_AT, describeObject, refOf } from "./objects.ts";
import { inversePatch, mergePatches, type Touched } from "./inverse.ts";
import type { Undo } from "../util/disposable.ts";
import { isImmutableRefusal, recreate, refusalReason } from "./recreate.ts";

/**
 * Records an object's state before a step changes it, and returns the undo that puts the
 * touched fields back (a merge patch built from the recorded values; null removes a
 * field that was absent).
 *
 * Objects outside the attempt's own namespaces (cluster-scoped ones such as Nodes, or
 * objects in other namespaces) are also marked ON THE OBJECT before the change: labels
 * kubedrill.io/run-id=<run> and kubedrill.io/scenario=<attempt>, annotation
 * kubedrill.io/original = the restore patch as JSON, and kubedrill.io/marked-at = when.
 * If this process dies, the start-up sweep of a later run finds the label, sees the
 * run's heartbeat is stale (or, with no Lease at all, that the mark is older than the
 * stale period), and applies that patch (src/engine/sweep.ts). A mark left by another
 * run is not overwritten (its original is the true original).
 *
 * Objects that go away with the attempt's own namespaces (goesWithNamespace) are neither
 * marked nor restored one by one: their undo does nothing, the namespace's deletion in
 * cleanup removes them. Only what outlives the namespace is restored. When the API server
 * refuses the in-place restore because a field is immutable (the object was deleted and
 * recreated differently meanwhile), the recorded object is recreated (recreate.ts). If the
 * object was being deleted when recorded and has since been replaced, the replacement is
 * deleted (the recorded state was "on its way out").
 *
 * Steps use recordAndChange(), which also undoes the record when the change fails.
 */
export async function recordChange(
  ctx: StepContext,
  obj: KObject,
  touched: Touched,
  opts: { subresource?: "status" } = {},
): Promise<Undo> {
  if (goesWithNamespace(ctx, obj)) return () => undefined;
  const ref = refOf(obj);
  const restore = inversePatch(touched, obj);
  ctx.touched(obj, obj.metadata.namespace);
  const unmark = await mark(ctx, obj, restore);
  return async () => {
    const live = await ctx.kube.get(ref);
    if (!live) {
      ctx.log.debug(`${describeObject(obj)} is gone; nothing to restore`);
      return;
    }
    if (opts.subresource) {
      await ctx.kube.patch(ref, restore, "merge", { subresource: opts.subresource });
      if (unmark) await ctx.kube.patch(ref, unmark, "merge");
      return;
    }
    if (live.metadata.uid !== obj.metadata.uid && obj.metadata.deletionTimestamp) {
      // Recorded on its way out, replaced since: the replacement is not the recorded object.
      if (live.metadata.labels?.[LABEL_RUN_ID] !== ctx.runId) return;
      await ctx.kube.delete(ref);
      return report(ctx, `deleted ${describeObject(obj)}: this run created it in place of one being deleted`);
    }
    try {
      await ctx.kube.patch(ref, unmark ? mergePatches(restore, unmark) : restore, "merge");
    } catch (err) {
      if (!isImmutableRefusal(err)) throw err;
      await recreate(ctx, obj, live, refusalReason(err));
    }
  };
}

/**
 * Marks an object outside the attempt's namespaces as changed by this run, with its
 * restore patch (for the start-up sweep); returns the patch that removes the marks, or
 * undefined when another run's mark is kept.
 */
async function mark(ctx: StepContext, obj: KObject, restore: Record<string, unknown>) {
  const labels = obj.metadata.labels ?? {};
  const markedBy = labels[LABEL_RUN_ID];
  if (obj.metadata.annotations?.[ANNOTATION_ORIGINAL] !== undefined) {
    if (markedBy !== ctx.runId)
      ctx.log.warn(
        `${describeObject(obj)} is already marked as changed by run ${markedBy ?? "?"}; its recorded original is kept`,
      );
    return undefined;
  }
  const unmark = {
    metadata: {
      labels: { [LABEL_RUN_ID]: markedBy ?? null, [LABEL_SCENARIO]: labels[LABEL_SCENARIO] ?? null },
      annotations: { [ANNOTATION_ORIGINAL]: null, [ANNOTATION_MARKED_AT]: null },
    },
  };
  const sweepPatch = mergePatches(restore, unmark);
  const markedAt = new Date(ctx.clock.now()).toISOString();
  const marks = {
    labels: { [LABEL_RUN_ID]: ctx.runId, [LABEL_SCENARIO]: ctx.scenarioLabel },
    annotations: { [ANNOTATION_ORIGINAL]: JSON.stringify(sweepPatch), [ANNOTATION_MARKED_AT]: markedAt },
  };
  await ctx.kube.patch(refOf(obj), { metadata: marks }, "merge");
  return unmark;
}

function report(ctx: Pick<StepContext, "note" | "log">, what: string): void {
  if (ctx.note) ctx.note(what);
  else ctx.log.info(what);
}

/**
 * Whether an object goes away with the attempt's own namespaces: it lives in one of them,
 * or it is one of them. Such objects are not restored one by one.
 */
export function goesWithNamespace(ctx: Pick<StepContext, "ownedNamespaces">, obj: KObject): boolean {
  const ns = obj.metadata.namespace ?? (obj.kind === "Namespace" ? obj.metadata.name : undefined);
  return ns !== undefined && ctx.ownedNamespaces.has(ns);
}

/**
 * The undo of creating `obj`: deleting it, unless it goes away with the attempt's own
 * namespaces (then nothing: the namespace's deletion removes it).
 */
export function undoCreate(ctx: StepContext, obj: KObject): Undo {
  if (goesWithNamespace(ctx, obj)) return () => undefined;
  return async () => {
    await ctx.kube.delete(refOf(obj));
  };
}

/**
 * Records the object's state (recordChange), then makes `change`. If the change fails,
 * the record is undone — the touched fields put back (in case the failed call took
 * effect after all, e.g. a time-out) and the marks removed — a failure of that undo is
 * logged, and the change's own error is rethrown. Returns the undo of the change.
 */
export async function recordAndChange(
  ctx: StepContext,
  obj: KObject,
  touched: Touched,
  change: () => Promise<unknown>,
  opts: { subresource?: "status" } = {},
): Promise<Undo> {
  const restore = await recordChange(ctx, obj, touched, opts);
  try {
    await change();
  } catch (err) {
    try {
      await restore();
    } catch (undoErr) {
      ctx.log.warn(
        `after the failed change of ${describeObject(obj)}, restoring it and removing kubedrill's marks failed: ${(undoErr as Error).message}`,
      );
    }
    throw err;
  }
  return restore;
}
