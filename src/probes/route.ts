import { Params } from "../sdk/params.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { text } from "../sdk/schema-parts.ts";
import type { BuildEnv, Probe, RouteParams } from "../sdk/types.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./command.ts";
import { askDataPlane, DATA_PLANE_FIDELITY, dpContext } from "./shared/data-plane.ts";

/**
 * route { host?, path, expectService, ingressClass? } — a request for host+path is routed
 * by the Ingress rules to `expectService`. Delegated like connectivity.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
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
      { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", namespace: env.namespace },
      // the answering pod names itself; its labels say which Service it belongs to
      { apiVersion: "v1", kind: "Pod", namespace: env.namespace },
    ],
    pollIntervalMs: p.durationMs("interval", DEFAULT_POLL_INTERVAL_MS),
    describe: () =>
      `${host ?? "*"}${args.path} routes to service ${args.expectService}${ingressClass ? ` (class ${ingressClass})` : ""}`,
    evaluate: (ctx) => askDataPlane(ctx, "route", (dp) => dp.route(args, dpContext(ctx))),
  };
}

export const routeProbe = defineProbe({
  name: "route",
  description: "Ingress routing sends host+path to the expected Service (data plane, or the Ingress model).",
  params: {
    required: ["path", "expectService"],
    properties: {
      host: text("Request host (default: any host)."),
      path: { ...text("Request path, starting with /."), pattern: "^/" },
      expectService: text("The Service that must receive the request."),
      ingressClass: text("Only consider Ingresses of this class."),
    },
  },
  create,
  fidelity: DATA_PLANE_FIDELITY,
});
