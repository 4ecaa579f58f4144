import { Params } from "../sdk/params.ts";
import type { BuildEnv, ConnectivityParams, EvalContext, Probe, ProbeResult, RouteParams } from "../sdk/types.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./command.ts";

function noDataPlane(what: string): ProbeResult {
  return {
    ok: false,
    message: `${what} needs a data plane (real or modelled), and this cluster provides none`,
    simulated: false,
  };
}

const dpContext = (ctx: EvalContext) => ({
  namespace: ctx.namespace,
  snapshot: () => ctx.view.snapshot(),
  ...(ctx.signal ? { signal: ctx.signal } : {}),
});

/**
 * connectivity { from: selector, to: { service, port, namespace? } } — pods matching
 * `from` reach the Service's port. Delegated to the context's data plane (the provider's
 * real one, or a model computed from cluster state, whose results say simulated). It is
 * re-asked on every change of the objects a model reads and every `interval` (real
 * traffic cannot be watched).
 */
export function connectivityProbe(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const from = p.selector("from");
  const to = p.nested("to");
  const args: ConnectivityParams = {
    from,
    namespace: env.namespace,
    to: {
      service: to.str("service"),
      port: typeof to.values.port === "string" ? to.str("port") : to.num("port", 1),
      ...(to.has("namespace") ? { namespace: to.str("namespace") } : {}),
    },
  };
  const ns = args.to.namespace ?? env.namespace;
  return {
    kinds: ["Pod", "Service", "NetworkPolicy"]
      .map((kind) => ({
        apiVersion: kind === "NetworkPolicy" ? "networking.k8s.io/v1" : "v1",
        kind,
        namespace: env.namespace,
      }))
      .concat(ns !== env.namespace ? [{ apiVersion: "v1", kind: "Service", namespace: ns }] : [])
      .concat([{ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", namespace: ns }]),
    pollIntervalMs: p.durationMs("interval", DEFAULT_POLL_INTERVAL_MS),
    describe: () => `pods ${from} reach service ${ns}/${args.to.service}:${args.to.port}`,
    evaluate: (ctx) => (ctx.dataPlane ? ctx.dataPlane.connectivity(args, dpContext(ctx)) : noDataPlane("connectivity")),
  };
}

/**
 * route { host?, path, expectService, ingressClass? } — a request for host+path is routed
 * by the Ingress rules to `expectService`. Delegated like connectivity.
 */
export function routeProbe(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const host = p.optStr("host");
  const ingressClass = p.optStr("ingressClass");
  const args: RouteParams = {
    path: p.str("path"),
    expectService: p.str("expectService"),
    namespace: env.namespace,
    ...(host ? { host } : {}),
    ...(ingressClass ? { ingressClass } : {}),
  };
  return {
    kinds: [
      { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
      { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", optional: true },
      { apiVersion: "v1", kind: "Service", namespace: env.namespace },
    ],
    pollIntervalMs: p.durationMs("interval", DEFAULT_POLL_INTERVAL_MS),
    describe: () =>
      `${host ?? "*"}${args.path} routes to service ${args.expectService}${ingressClass ? ` (class ${ingressClass})` : ""}`,
    evaluate: (ctx) => (ctx.dataPlane ? ctx.dataPlane.route(args, dpContext(ctx)) : noDataPlane("route")),
  };
}
