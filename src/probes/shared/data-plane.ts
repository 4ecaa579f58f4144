import type { EvalContext, ProbeResult } from "../../sdk/types.ts";

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
