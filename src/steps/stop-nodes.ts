import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { handle } from "../sdk/handle.ts";
import { actionsOf } from "./shared/provider.ts";

/**
 * stopNodes { nodes } — the provider makes these nodes' kubelets stop heartbeating (a
 * real outage: the node goes NotReady, the node controller taints it). Revert brings
 * them back.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc), "nodes", env.namespace);
  return {
    describe: () => `stop ${describeNodes(nodes)} (provider action: their kubelets stop heartbeating)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "stopNodes");
      const names = (await resolveNodes(ctx.kube, nodes)).map((n) => n.metadata.name!);
      const stopped = await actions.stopNodes(names);
      ctx.log.info(`stopped node(s) ${names.join(", ")}`);
      return handle(() => stopped.revert());
    },
  };
}

export const stopNodesStep = defineStep({
  name: "stopNodes",
  description: "Provider action: the nodes' kubelets stop heartbeating (the nodes go NotReady).",
  scope: "provider",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create,
  fidelity: {
    kwok: {
      mode: "simulated",
      note: "the stopped nodes' heartbeats really stop, but the pods that replace theirs become Ready by kwok's say-so, not a kubelet's",
    },
    k3s: { mode: "unavailable", note: "its single node is also the control plane" },
    kubeconfig: { mode: "limited", note: "only kind nodes, and only with --allow-node-faults" },
  },
});
