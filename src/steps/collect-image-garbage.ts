import { Params } from "../sdk/params.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { actionsOf } from "./shared/provider.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

/**
 * collectImageGarbage { nodes } — the provider frees disk space on each node the way
 * kubelet image garbage collection does (the article's fix for a full disk). Nothing to
 * revert: freed space is not given back.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc), "nodes", env.namespace);
  return {
    describe: () => `collect image garbage on ${describeNodes(nodes)} (provider action)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "collectImageGarbage");
      for (const node of await resolveNodes(ctx.kube, nodes)) {
        await actions.collectImageGarbage(node.metadata.name!);
        ctx.log.info(`collected image garbage on ${node.metadata.name}`);
      }
      return nothingToRevert();
    },
  };
}

export const collectImageGarbageStep = defineStep({
  name: "collectImageGarbage",
  description: "Provider action: the kubelet's image garbage collection frees disk space on the nodes.",
  scope: "provider",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create,
  fidelity: { kwok: { mode: "simulated", note: "clears the modelled full disk of the kwok kubelet" } },
});
