import type { Fidelity } from "../../sdk/plugin.ts";
import type { DataPlane, DataPlaneAnswer, EvalContext, ProbeResult } from "../../sdk/types.ts";

/** Where the data-plane probes are real: kind has one; the local kwok nodes get a model; k3s and an existing cluster none. */
export const DATA_PLANE_FIDELITY: Fidelity = {
  kwok: {
    mode: "simulated",
    note: "worked out from cluster state by the network model (src/dataplane/), no packets sent",
  },
  k3s: { mode: "unavailable", note: "the k3s provider offers no data-plane probes" },
  kubeconfig: { mode: "unavailable", note: "an existing cluster offers no data-plane probes to kubedrill" },
};

/** The answer of a data-plane probe on a cluster without a data plane. */
export function noDataPlane(what: string): ProbeResult {
  return {
    ok: false,
    message: `${what} needs a data plane (real or modelled), and this cluster provides none`,
    simulated: false,
  };
}

/** What the data plane gets from the evaluation context. */
export const dpContext = (ctx: EvalContext) => ({
  namespace: ctx.namespace,
  snapshot: () => ctx.view.snapshot(),
  ...(ctx.signal ? { signal: ctx.signal } : {}),
});

/**
 * Asks the context's data plane; the answer is simulated exactly when the data plane is a
 * model (DataPlane.modelled), whatever the answer itself says.
 */
export async function askDataPlane(
  ctx: EvalContext,
  what: string,
  ask: (dp: DataPlane) => DataPlaneAnswer | Promise<DataPlaneAnswer>,
): Promise<ProbeResult> {
  const dp = ctx.dataPlane;
  if (!dp) return noDataPlane(what);
  const { ok, message } = await ask(dp);
  return { ok, message, simulated: dp.modelled === true };
}
