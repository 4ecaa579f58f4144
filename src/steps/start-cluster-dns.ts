import { KubedrillError } from "../errors.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { defineStep } from "../sdk/plugin.ts";
import type { Step } from "../sdk/types.ts";
import { CLUSTER_DNS_FIDELITY } from "./stop-cluster-dns.ts";
import { actionsOf } from "./shared/provider.ts";

/**
 * startClusterDNS {} — scales the cluster DNS that `stopClusterDNS` stopped back to the
 * replicas recorded then (the remediation). A DNS that was not stopped is left as it is.
 */
function create(): Step {
  return {
    describe: () => "start the cluster DNS again (provider action: CoreDNS back to its recorded replicas)",
    async inject(ctx) {
      const actions = actionsOf(ctx, "startClusterDNS");
      if (!actions.startClusterDNS)
        throw new KubedrillError("startClusterDNS: this cluster's provider does not own its DNS add-on");
      await actions.startClusterDNS();
      ctx.log.info("started the cluster DNS again");
      return nothingToRevert();
    },
  };
}

export const startClusterDNSStep = defineStep({
  name: "startClusterDNS",
  description: "Provider action: the cluster DNS stopClusterDNS stopped is scaled back to its recorded replicas.",
  scope: "provider",
  params: { properties: {} },
  create,
  fidelity: CLUSTER_DNS_FIDELITY,
});
