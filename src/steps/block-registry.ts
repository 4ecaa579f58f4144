import { KubedrillError } from "../errors.ts";
import { handle } from "../sdk/handle.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { actionsOf } from "./shared/provider.ts";

/** Where a provider's registry firewall actions are missing, one message. */
export const REGISTRY_FIREWALL_FIDELITY = {
  kwok: { mode: "unavailable", note: "kwok nodes pull nothing: there is no pull to cut" },
  kind: {
    mode: "limited",
    note: "when kubedrill runs its registry containers: an iptables chain in each node container drops its packets to them",
  },
  k3s: { mode: "unavailable", note: "its single node is also the control plane" },
  kubeconfig: { mode: "unavailable", note: "kubedrill does not change a real cluster's node firewalls" },
} as const;

/**
 * blockRegistry { nodes } — the provider adds a firewall rule on each node that silently
 * drops what the node itself sends to the image registry: the runtime's pulls time out,
 * while pods' own traffic is untouched (a NetworkPolicy could not do this: pulls come from
 * the node). Revert (and the `unblockRegistry` step) removes the rule.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc), "nodes", env.namespace);
  return {
    describe: () => `cut ${describeNodes(nodes)} off the image registry (provider action: a firewall rule on the node)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "blockRegistry");
      if (!actions.blockRegistry)
        throw new KubedrillError("blockRegistry: this cluster's provider cannot put a firewall rule on its nodes");
      const names = (await resolveNodes(ctx.kube, nodes)).map((n) => n.metadata.name!);
      const blocked = await actions.blockRegistry(names);
      ctx.log.info(`cut node(s) ${names.join(", ")} off the image registry`);
      return handle(() => blocked.revert());
    },
  };
}

export const blockRegistryStep = defineStep({
  name: "blockRegistry",
  description:
    "Provider action: a firewall rule on the nodes drops their own traffic to the image registry (pulls time out); revert removes it.",
  scope: "provider",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create,
  fidelity: REGISTRY_FIREWALL_FIDELITY,
});
