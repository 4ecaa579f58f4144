import type { ClusterSnapshot } from "../diagnose/types.ts";

/** The data-plane contract: real probes (kind, real nodes) or a model of them (kwok nodes). */
export interface ProbeResult {
  ok: boolean;
  message: string;
  /** True when the answer came from a model rather than the real data plane/cluster. */
  simulated: boolean;
}

export interface ConnectivityParams {
  /** Label selector of the client pods. */
  from: string;
  to: { service: string; port: number | string; namespace?: string };
  namespace: string;
}

export interface RouteParams {
  host?: string;
  path: string;
  expectService: string;
  ingressClass?: string;
  namespace: string;
}

export interface DataPlaneContext {
  namespace: string;
  /** Cluster state from the watch cache (for modelled answers). */
  snapshot(): ClusterSnapshot;
  signal?: AbortSignal;
}

/** Real or modelled pod-to-service and Ingress checks; supplied by the cluster provider. */
export interface DataPlane {
  connectivity(params: ConnectivityParams, ctx: DataPlaneContext): ProbeResult | Promise<ProbeResult>;
  route(params: RouteParams, ctx: DataPlaneContext): ProbeResult | Promise<ProbeResult>;
}
