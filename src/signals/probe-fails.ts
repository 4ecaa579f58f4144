import type { BuildEnv, Detector } from "../sdk/types.ts";
import { Params } from "../sdk/params.ts";
import { defineSignal } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

/**
 * probeFails { probe } — seen when the probe does not hold (e.g. connectivity between
 * two services breaks). Watched probes are re-asked on every change; polled ones
 * (command, http, data plane) at their interval. A state detector: a probe already
 * failing before the fault must pass once and fail again to count (src/engine/detection.ts).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const p: Params = new Params(params, env.loc);
  if (!p.has("probe")) p.fail("probe", "is required");
  const probe = env.probe(p.values.probe, "probe");
  return {
    kinds: probe.kinds,
    ...(probe.pollIntervalMs ? { pollIntervalMs: probe.pollIntervalMs } : {}),
    describe: () => `probe fails: ${probe.describe()}`,
    async match(ctx) {
      const r = await probe.evaluate(ctx);
      return r.ok ? undefined : { kind: "probe", text: r.message, simulated: r.simulated };
    },
  };
}

export const probeFailsSignal = defineSignal({
  name: "probeFails",
  description: "The given probe starts failing.",
  params: { required: ["probe"], properties: { probe: ref("probe") } },
  create,
});
