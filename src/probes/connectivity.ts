import { Params } from "../sdk/params.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { labelSelector, text } from "../sdk/schema-parts.ts";
import type { BuildEnv, ConnectivityParams, Probe } from "../sdk/types.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./command.ts";
import { askDataPlane, DATA_PLANE_FIDELITY, dpContext } from "./shared/data-plane.ts";

/**
 * connectivity { from: selector, to: { service, port, namespace? } } — pods matching
 * `from` reach the Service's port. Delegated to the context's data plane (the provider's
 * real one, or a model computed from cluster state, whose answers are simulated). It is
 * re-asked on every change of the objects a model reads and every `interval` (real
 * traffic cannot be watched).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
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
    evaluate: (ctx) => askDataPlane(ctx, "connectivity", (dp) => dp.connectivity(args, dpContext(ctx))),
  };
}

export const connectivityProbe = defineProbe({
  name: "connectivity",
  description: "Pods matching `from` can reach a Service port (data plane, or the local network model).",
  params: {
    required: ["from", "to"],
    properties: {
      from: labelSelector("Client pods."),
      to: {
        type: "object",
        description: "The destination.",
        required: ["service", "port"],
        additionalProperties: false,
        properties: {
          service: text("Service name."),
          port: {
            type: ["integer", "string"],
            minimum: 1,
            maximum: 65535,
            minLength: 1,
            description: "Port number or name.",
          },
        },
      },
    },
  },
  create,
  fidelity: DATA_PLANE_FIDELITY,
});
