import { defineProbe } from "../sdk/plugin.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import {
  checkPrometheusParams,
  describePrometheusCheck,
  evaluatePrometheus,
  listSome,
  parsePrometheusCheck,
  PROMETHEUS_PARAMS,
} from "./shared/prometheus-check.ts";

/**
 * prometheus { url?, query, op, value } | { url?, alert, labels? } — the team's own
 * monitoring as a steady state. With a query: holds while the query gives at least one
 * value and every value passes the comparison (`error_rate < 0.05`). With an alert: holds
 * while no alert of that name (and labels) is firing. Prometheus cannot be watched, so it
 * is asked every `interval` (2s); an unreachable server or a failed query does not hold.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const c = parsePrometheusCheck(params, env);
  return {
    kinds: [],
    pollIntervalMs: c.intervalMs,
    describe: () =>
      `prometheus ${"alert" in c ? `${describePrometheusCheck(c)} is not firing` : describePrometheusCheck(c)}`,
    async evaluate(ctx) {
      const f = await evaluatePrometheus(c, ctx);
      if ("error" in f) return { ok: false, message: f.error, simulated: false };
      if ("alert" in c) {
        if (f.passing.length > 0)
          return { ok: false, message: `alert ${c.alert} firing: ${listSome(f.passing)}`, simulated: false };
        const pending = f.pending?.length ? ` (pending: ${listSome(f.pending)})` : "";
        return { ok: true, message: `alert ${c.alert} not firing${pending}`, simulated: false };
      }
      const head = `${c.query} ${c.op} ${c.value}`;
      if (f.passing.length + f.failing.length === 0)
        return { ok: false, message: `${head}: the query gave no value (no series)`, simulated: false };
      if (f.failing.length > 0)
        return { ok: false, message: `${head} does not hold: ${listSome(f.failing)}`, simulated: false };
      return { ok: true, message: `${head} holds: ${listSome(f.passing)}`, simulated: false };
    },
  };
}

export const prometheusProbe = defineProbe({
  name: "prometheus",
  description:
    "A PromQL query's every value passes a comparison, or a named alert is not firing, on the team's Prometheus (HTTP API).",
  params: PROMETHEUS_PARAMS,
  check: checkPrometheusParams,
  create,
});
