import { recreatable } from "../sdk/recreate.ts";
import { KubedrillError, withContext } from "../errors.ts";
import type { KObject } from "../k8s/types.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import { describeTarget, parseTarget, selectLive } from "../sdk/target.ts";
import type { BuildEnv, Step, StepContext } from "../sdk/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

/**
 * delete { target } — deletes every matching object (background propagation; at least
 * one must match). Revert recreates, from the copy taken before deleting, an object that
 * lived outside the run's namespaces and had no controller (a controller recreates its
 * own; the run's namespace goes away anyway), unless something recreated it already.
 * Limitation: that copy lives in this process only; a crashed run cannot bring it back.
 * What a revert cannot bring back as it was (a new uid, a controller's new object) is
 * reported through ctx.notRestored, so the run does not claim "cleanup complete".
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  return {
    describe: () => `delete ${describeTarget(target)}`,
    async inject(ctx) {
      const objects = await selectLive(ctx.kube, target);
      if (objects.length === 0) throw new KubedrillError(`delete: nothing matches ${describeTarget(target)}`);
      return allOrNothing(
        objects.map((obj) => ({ label: `delete ${describeObject(obj)}`, run: () => deleteOne(ctx, obj) })),
        ctx.log,
      );
    },
  };
}

async function deleteOne(ctx: StepContext, obj: KObject) {
  const ref = refOf(obj);
  const outside = !obj.metadata.namespace || !ctx.ownedNamespaces.has(obj.metadata.namespace);
  const controlled = obj.metadata.ownerReferences?.some((o) => o.controller) ?? false;
  const copy = outside && !controlled ? recreatable(obj) : undefined;
  try {
    await ctx.kube.delete(ref);
  } catch (err) {
    throw withContext(`delete ${describeObject(obj)}`, err);
  }
  return async () => {
    if (!copy) {
      if (outside)
        ctx.notRestored(
          `${describeObject(obj)} was deleted and left to its controller to recreate (a new object, with a new uid and possibly a new name)`,
        );
      return;
    }
    if (await ctx.kube.get(ref)) {
      ctx.notRestored(
        `${describeObject(obj)} was deleted and recreated by something else (a new uid; its old status is gone)`,
      );
      return;
    }
    await ctx.kube.create(copy);
    ctx.log.info(`recreated ${describeObject(obj)}`);
    ctx.notRestored(
      `${describeObject(obj)} was deleted and recreated from a copy: it has a new uid, its status is gone, and whatever referred to the old uid (owner references, finalizers' bookkeeping) does not follow${obj.kind === "Namespace" ? "; the objects it held are gone for good (it came back empty)" : ""}`,
    );
  };
}

export const deleteStep = defineStep({
  name: "delete",
  description: "Delete the target object(s).",
  scope: "target",
  params: { required: ["target"], properties: { target: ref("target") } },
  create,
});
