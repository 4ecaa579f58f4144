import { KubedrillError } from "../errors.ts";
import { refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import { labelSelector, namespaceParam } from "../sdk/schema-parts.ts";
import { API_CONCURRENCY, settleLimited } from "../util/limit.ts";

const POD = { apiVersion: "v1", kind: "Pod" } as const;

/**
 * restartPods { selector, namespace? } — deletes the matching pods (background
 * propagation) so that their controller recreates them, e.g. to move them onto a new IP
 * pool or away from a bad node. At least one pod must match. Nothing to revert.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const selector = p.selector("selector");
  const namespace = p.optStr("namespace") ?? env.namespace;
  return {
    describe: () => `restart pods ${selector} in ${namespace} (delete; their controller recreates them)`,
    async inject(ctx) {
      const { items } = await ctx.kube.list(POD, { namespace, labelSelector: selector });
      const live = items.filter((pod) => !pod.metadata.deletionTimestamp);
      if (live.length === 0) throw new KubedrillError(`restartPods: no pod matches ${selector} in ${namespace}`);
      // Independent deletes, side by side: the fault lands at once, not one round trip per pod later.
      const results = await settleLimited(live, API_CONCURRENCY, (pod) => ctx.kube.delete(refOf(pod)));
      const failed = results.flatMap((r, i) =>
        r.status === "rejected" ? [`${live[i]!.metadata.name}: ${(r.reason as Error).message}`] : [],
      );
      if (failed.length)
        throw new KubedrillError(
          `restartPods: could not delete ${failed.length} of ${live.length} pod(s) ${selector} in ${namespace}: ${failed.join("; ")}`,
        );
      ctx.log.info(`restarted ${live.length} pod(s) ${selector} in ${namespace}`);
      return nothingToRevert();
    },
  };
}

export const restartPodsStep = defineStep({
  name: "restartPods",
  description: "Delete the matching pods so that their controller recreates them.",
  scope: "namespace",
  params: {
    required: ["selector"],
    properties: { selector: labelSelector("Pods to restart."), namespace: namespaceParam() },
  },
  create,
});
