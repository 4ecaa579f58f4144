import { Params } from "../sdk/params.ts";
import { defineProbe, type ParamsCheck } from "../sdk/plugin.ts";
import { duration, text } from "../sdk/schema-parts.ts";
import type { BuildEnv, LoadParams, Probe, ProbeResult } from "../sdk/types.ts";
import { formatMs, parseDuration } from "../util/duration.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./command.ts";
import { dpContext } from "./shared/data-plane.ts";
import { judgeLoad } from "./shared/load-verdict.ts";

const DEFAULT_TIMEOUT_MS = 1000;
/** Fewer requests than this make a p95 and a percentage meaningless (one request is 5%). */
export const MIN_REQUESTS = 20;
const MAX_REQUESTS = 100_000;

/**
 * load { host?, path, rps, duration, timeout? (1s), maxErrorRate, maxP95?, expectService?,
 * interval? (1s) } — holds while a window of real traffic meets its budget: `rps`
 * requests a second for `duration` through the cluster's Ingress controller (addressed
 * like `route`: the controller's address with a Host header), sent on schedule without
 * waiting for answers, each with its own `timeout`. It fails when more than
 * `maxErrorRate` percent of them time out, answer non-2xx, lose their connection (or,
 * with `expectService`, are answered by another Service's pod), or when their p95
 * latency exceeds `maxP95`. The answer carries every figure (load-verdict.ts).
 *
 * One evaluation lasts `duration` plus up to `timeout` for the last answers. Nothing can
 * be watched for it, so it is polled: a new window starts every `interval`, or right
 * after the previous one when that lasts longer (with the default 1s: back to back, a
 * steady load). The data plane runs one window per host at a time, so the steady-state,
 * probeFails and recover monitors that ask at once take turns instead of adding up.
 * A modelled data plane (kwok nodes) has no latency to measure: the probe does not hold
 * there, and says a real data plane is needed; it invents no figures.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const host = p.optStr("host");
  const expectService = p.optStr("expectService");
  const maxP95Ms = p.has("maxP95") ? positiveMs(p, "maxP95") : undefined;
  const args: LoadParams = {
    path: p.str("path"),
    rps: p.num("rps", 0.1),
    durationMs: positiveMs(p, "duration"),
    timeoutMs: p.has("timeout") ? positiveMs(p, "timeout") : DEFAULT_TIMEOUT_MS,
    namespace: env.namespace,
    ...(host ? { host } : {}),
    ...(expectService ? { expectService } : {}),
  };
  const maxErrorRate = p.num("maxErrorRate");
  if (maxErrorRate > 100) p.fail("maxErrorRate", `is a percentage, at most 100 (got ${maxErrorRate})`);
  const target = `${host ?? "*"}${args.path}`;
  const budget = { maxErrorRate, rps: args.rps, ...(maxP95Ms !== undefined ? { maxP95Ms } : {}) };
  return {
    // backends are named from the watch cache, so with expectService Pods and Services are watched
    kinds: expectService
      ? [
          { apiVersion: "v1", kind: "Pod", namespace: env.namespace },
          { apiVersion: "v1", kind: "Service", namespace: env.namespace },
        ]
      : [],
    pollIntervalMs: p.has("interval") ? positiveMs(p, "interval") : DEFAULT_POLL_INTERVAL_MS,
    describe: () =>
      `${args.rps}/s for ${formatMs(args.durationMs)} to ${target}${expectService ? ` (service ${expectService})` : ""} within ${maxErrorRate}% errors${maxP95Ms !== undefined ? `, p95 ${formatMs(maxP95Ms)}` : ""}`,
    async evaluate(ctx): Promise<ProbeResult> {
      const dp = ctx.dataPlane;
      const why = !dp
        ? "this cluster provides none"
        : dp.modelled
          ? "this cluster's is a model worked out from cluster state (kwok nodes), which has no latency or error rate to measure"
          : !dp.load
            ? "this cluster's cannot send load"
            : undefined;
      if (why || !dp?.load)
        return {
          ok: false,
          message: `load ${target}: needs a real data plane (HTTP requests through the Ingress controller); ${why}`,
          simulated: false,
        };
      const m = await dp.load(args, dpContext(ctx));
      return { ...judgeLoad(target, m, budget), simulated: false };
    },
  };
}

function positiveMs(p: Params, key: string): number {
  if (!p.has(key)) p.fail(key, "is required");
  const v = p.durationMs(key, 0);
  if (v <= 0) p.fail(key, `must be longer than 0 (got ${JSON.stringify(p.values[key])})`);
  return v;
}

/** Requests per window within bounds, and a p95 budget the time-out can exceed. */
const check: ParamsCheck = (params, report) => {
  const ms = (k: string, fallback?: number) =>
    typeof params[k] === "number" ? params[k] : typeof params[k] === "string" ? parseDuration(params[k]) : fallback;
  const rps = typeof params.rps === "number" ? params.rps : undefined;
  const window = ms("duration");
  if (rps !== undefined && window !== undefined) {
    const n = Math.round((rps * window) / 1000);
    if (n < MIN_REQUESTS)
      report(
        [],
        `rps × duration gives ${n} request(s) a window; at least ${MIN_REQUESTS} make an error rate and a p95`,
      );
    if (n > MAX_REQUESTS) report([], `rps × duration gives ${n} requests a window; at most ${MAX_REQUESTS}`);
  }
  const p95 = ms("maxP95");
  const timeout = ms("timeout", DEFAULT_TIMEOUT_MS);
  if (p95 !== undefined && timeout !== undefined && p95 >= timeout)
    report(
      ["maxP95"],
      `must be below timeout (${timeout}ms): a timed-out request counts at the time-out, so p95 never exceeds it`,
    );
};

export const loadProbe = defineProbe({
  name: "load",
  description:
    "A window of real requests through the Ingress controller (rps for duration, open loop) stays within an error-rate and p95 budget (real data plane only).",
  params: {
    required: ["path", "rps", "duration", "maxErrorRate"],
    properties: {
      host: text("Host header of the requests (default: the controller's address, which its default server answers)."),
      path: { ...text("Request path, starting with /."), pattern: "^/" },
      rps: { type: "number", minimum: 0.1, maximum: 500, description: "Requests sent per second, on schedule." },
      duration: duration("How long one measurement window sends."),
      timeout: duration("A request without an answer by then counts as timed out.", { default: "1s" }),
      maxErrorRate: {
        type: "number",
        minimum: 0,
        maximum: 100,
        description: "Percent of a window's requests that may fail (time-out, non-2xx, connection error).",
      },
      maxP95: duration("The 95th percentile latency may not exceed this (time-outs count at the time-out)."),
      expectService: text(
        "A 2xx answer must come from this Service's pods (answers must name their pod, as podinfo's do); others count as errors.",
      ),
      interval: duration("Start a window this often, or right after the previous one when that lasts longer.", {
        default: "1s",
      }),
    },
  },
  check,
  create,
  fidelity: {
    kwok: {
      mode: "unavailable",
      note: "a modelled data plane has no latency or error rate to measure: the probe does not hold, says why, and invents no figures",
    },
    k3s: { mode: "unavailable", note: "the k3s provider offers no data plane" },
    kubeconfig: { mode: "unavailable", note: "an existing cluster offers no Ingress address to kubedrill" },
  },
});
