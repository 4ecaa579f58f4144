import { KubedrillError } from "../errors.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import { describeTarget, parseTarget, selectLive } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { recordAndChange } from "../sdk/record.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

/**
 * scale { target, replicas } — sets spec.replicas of every matching workload
 * (Deployment, StatefulSet, ReplicaSet, ...). Revert restores the recorded replicas.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  const replicas = p.num("replicas", 0);
  return {
    describe: () => `scale ${describeTarget(target)} to ${replicas} replica(s)`,
    async inject(ctx) {
      const objects = await selectLive(ctx.kube, target);
      if (objects.length === 0) throw new KubedrillError(`scale: nothing matches ${describeTarget(target)}`);
      return allOrNothing(
        objects.map((obj) => ({
          label: `scale ${describeObject(obj)}`,
          run: async () => {
            const restore = await recordAndChange(ctx, obj, { spec: { replicas: true } }, () =>
              ctx.kube.patch(refOf(obj), { spec: { replicas } }, "merge"),
            );
            ctx.log.debug(`scaled ${describeObject(obj)} from ${String(obj.spec?.replicas)} to ${replicas}`);
            return restore;
          },
        })),
        ctx.log,
      );
    },
  };
}

/** spec.replicas is an int32 in every workload API. */
const INT32_MAX = 2 ** 31 - 1;

export const scaleStep = defineStep({
  name: "scale",
  description: "Set the replica count of a Deployment, StatefulSet or ReplicaSet.",
  scope: "target",
  params: {
    required: ["target", "replicas"],
    properties: {
      target: ref("target"),
      replicas: { type: "integer", minimum: 0, maximum: INT32_MAX, description: "Desired replicas." },
    },
  },
  create,
});
