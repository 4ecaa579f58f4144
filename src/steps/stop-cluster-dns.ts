import { KubedrillError } from "../errors.ts";
import { handle } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import type { Step } from "../sdk/types.ts";
import { actionsOf } from "./shared/provider.ts";

/** Where the cluster DNS actions exist, and why not elsewhere. */
export const CLUSTER_DNS_FIDELITY = {
  kwok: { mode: "unavailable", note: "a cluster of kwok nodes runs no CoreDNS" },
  k3s: { mode: "unavailable", note: "not implemented for k3s's packaged CoreDNS" },
  kubeconfig: {
    mode: "unavailable",
    note: "kubedrill never changes kube-system on a cluster it did not create",
  },
} as const;

/**
 * stopClusterDNS {} — the provider stops the cluster's DNS (CoreDNS scaled to 0) on a
 * cluster it created; revert (and `startClusterDNS`) scales it back to the replicas it had.
 * Scenario steps may not change kube-system themselves (src/pipeline/scope.ts): this is the
 * one way a scenario takes the DNS down, and it exists only where kubedrill owns the cluster.
 */
function create(): Step {
  return {
    describe: () => "stop the cluster DNS (provider action: CoreDNS scaled to 0, its replicas recorded)",
    async inject(ctx) {
      const actions = actionsOf(ctx, "stopClusterDNS");
      if (!actions.stopClusterDNS)
        throw new KubedrillError("stopClusterDNS: this cluster's provider does not own its DNS add-on");
      const stopped = await actions.stopClusterDNS();
      ctx.log.info("stopped the cluster DNS");
      return handle(() => stopped.revert());
    },
  };
}

export const stopClusterDNSStep = defineStep({
  name: "stopClusterDNS",
  description:
    "Provider action: the cluster's DNS (CoreDNS) is scaled to 0 on a cluster kubedrill created; revert restores its replicas.",
  scope: "provider",
  params: { properties: {} },
  create,
  fidelity: CLUSTER_DNS_FIDELITY,
});
