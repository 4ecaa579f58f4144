import type { DataPlane } from "../sdk/types.ts";
import { modelConnectivity } from "./connectivity.ts";
import { modelRoute } from "./route.ts";

/**
 * The data plane of a cluster that has none (the embedded local cluster): connectivity
 * and Ingress routing worked out from cluster state. Being a model, its answers are simulated.
 */
export function modelledDataPlane(network: { serviceCIDR?: string; podCIDR?: string }): DataPlane {
  return {
    modelled: true,
    connectivity: (params, ctx) => modelConnectivity(params, ctx.snapshot(), network),
    route: (params, ctx) => modelRoute(params, ctx.snapshot()),
  };
}
