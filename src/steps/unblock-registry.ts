import { KubedrillError } from "../errors.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { REGISTRY_FIREWALL_FIDELITY } from "./block-registry.ts";
import { actionsOf } from "./shared/provider.ts";

/**
 * unblockRegistry { nodes } — removes the firewall rule `blockRegistry` put on these nodes
 * (the remediation: the rule is found and taken out). A node without the rule is left as it
 * is. Nothing to revert: the rule is not put back.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc), "nodes", env.namespace);
  return {
    describe: () => `remove the rule cutting ${describeNodes(nodes)} off the image registry (provider action)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "unblockRegistry");
      if (!actions.unblockRegistry)
        throw new KubedrillError("unblockRegistry: this cluster's provider cannot change its nodes' firewall rules");
      const names = (await resolveNodes(ctx.kube, nodes)).map((n) => n.metadata.name!);
      await actions.unblockRegistry(names);
      ctx.log.info(`node(s) ${names.join(", ")} reach the image registry again`);
      return nothingToRevert();
    },
  };
}

export const unblockRegistryStep = defineStep({
  name: "unblockRegistry",
  description: "Provider action: removes the firewall rule blockRegistry put on the nodes.",
  scope: "provider",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create,
  fidelity: REGISTRY_FIREWALL_FIDELITY,
});
