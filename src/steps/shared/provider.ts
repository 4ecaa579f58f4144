import { KubedrillError } from "../../errors.ts";
import type { ClusterAccess, StepContext } from "../../sdk/types.ts";

/** The provider's actions, or an error saying which step needs them. */
export function actionsOf(ctx: StepContext, step: string): ClusterAccess["actions"] {
  if (!ctx.cluster)
    throw new KubedrillError(
      `${step} needs a cluster provider's node actions, and this run has none (a plain kubeconfig cannot stop or fill nodes)`,
    );
  return ctx.cluster.actions;
}
