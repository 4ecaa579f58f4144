import { defineSignal } from "../sdk/plugin.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import {
  checkPrometheusParams,
  describePrometheusCheck,
  evaluatePrometheus,
  listSome,
  parsePrometheusCheck,
  PROMETHEUS_PARAMS,
} from "../probes/shared/prometheus-check.ts";

/**
 * prometheus { url?, query, op, value } | { url?, alert, labels? } — detection by the team's
 * own monitoring, so TTD measures its alerting. Seen when any value of the query passes
 * the comparison (`error_rate > 0.05`), or when an alert of that name (and labels) is
 * firing (pending is not enough). Asked every `interval` (2s); the evidence quotes the
 * values or the alert. A state detector: a value or alert already there before the fault
 * must go away and come back to count (src/engine/detection.ts). A request that fails is
 * not a detection; it is logged at debug level.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parsePrometheusCheck(params, env);
  return {
    kinds: [],
    pollIntervalMs: c.intervalMs,
    describe: () => `prometheus ${"alert" in c ? `${describePrometheusCheck(c)} fires` : describePrometheusCheck(c)}`,
    async match(ctx) {
      const f = await evaluatePrometheus(c, ctx);
      if ("error" in f) {
        ctx.log.debug(`prometheus signal: ${f.error}`);
        return undefined;
      }
      if (f.passing.length === 0) return undefined;
      const text =
        "alert" in c
          ? `alert ${c.alert} firing: ${listSome(f.passing)}`
          : `${c.query} = ${listSome(f.passing)} (${c.op} ${c.value})`;
      return { kind: "prometheus", text, simulated: false };
    },
  };
}

export const prometheusSignal = defineSignal({
  name: "prometheus",
  description:
    "A PromQL query gives a value past a threshold, or a named alert fires, on the team's Prometheus (HTTP API).",
  params: PROMETHEUS_PARAMS,
  check: checkPrometheusParams,
  create,
});
