import { ANNOTATION_ORIGINAL, LABEL_RUN_ID, LABEL_SCENARIO, type KObject } from "../k8s/types.ts";
import type { StepContext } from "../engine/types.ts";
import { describeObject, refOf } from "../engine/objects.ts";
import { inversePatch, mergePatches, type Touched } from "./inverse.ts";
import type { Undo } from "../util/disposable.ts";

/**
 * Records an object's state before a step changes it, and returns the undo that puts the
 * touched fields back (a merge patch built from the recorded values; null removes a
 * field that was absent).
 *
 * Objects outside the attempt's own namespaces (cluster-scoped ones such as Nodes, or
 * objects in other namespaces) are also marked ON THE OBJECT before the change: labels
 * kubedrill.io/run-id=<run> and kubedrill.io/scenario=<attempt>, and annotation kubedrill.io/original = the restore patch as
 * JSON. If this process dies, the start-up sweep of a later run finds the label, sees
 * the run's heartbeat is stale, and applies that patch (src/engine/sweep.ts). A mark
 * left by another run is not overwritten (its original is the true original).
 */
export async function recordChange(
  ctx: StepContext,
  obj: KObject,
  touched: Touched,
  opts: { subresource?: "status" } = {},
): Promise<Undo> {
  const ref = refOf(obj);
  const restore = inversePatch(touched, obj);
  const outside = !obj.metadata.namespace || !ctx.ownedNamespaces.has(obj.metadata.namespace);
  let unmark: Record<string, unknown> | undefined;
  if (outside) {
    ctx.touched(obj, obj.metadata.namespace);
    const labels = obj.metadata.labels ?? {};
    const markedBy = labels[LABEL_RUN_ID];
    const hasOriginal = obj.metadata.annotations?.[ANNOTATION_ORIGINAL] !== undefined;
    if (!hasOriginal) {
      unmark = {
        metadata: {
          labels: { [LABEL_RUN_ID]: markedBy ?? null, [LABEL_SCENARIO]: labels[LABEL_SCENARIO] ?? null },
          annotations: { [ANNOTATION_ORIGINAL]: null },
        },
      };
      const sweepPatch = mergePatches(restore, unmark);
      const mark = { labels: { [LABEL_RUN_ID]: ctx.runId, [LABEL_SCENARIO]: ctx.scenarioLabel }, annotations: { [ANNOTATION_ORIGINAL]: JSON.stringify(sweepPatch) } };
      await ctx.kube.patch(ref, { metadata: mark }, "merge");
    } else if (markedBy !== ctx.runId) {
      ctx.log.warn(`${describeObject(obj)} is already marked as changed by run ${markedBy ?? "?"}; its recorded original is kept`);
    }
  }
  return async () => {
    const live = await ctx.kube.get(ref);
    if (!live) {
      ctx.log.debug(`${describeObject(obj)} is gone; nothing to restore`);
      return;
    }
    if (opts.subresource) {
      await ctx.kube.patch(ref, restore, "merge", { subresource: opts.subresource });
      if (unmark) await ctx.kube.patch(ref, unmark, "merge");
    } else {
      await ctx.kube.patch(ref, unmark ? mergePatches(restore, unmark) : restore, "merge");
    }
  };
}
