import type { ClusterSnapshot } from "../diagnose/types.ts";

/** The data-plane contract: real probes (kind, real nodes) or a model of them (kwok nodes). */
export interface ProbeResult {
  ok: boolean;
  message: string;
  /** True when the answer came from a model rather than the real data plane/cluster. */
  simulated: boolean;
}

/** What a data plane answers; whether it is simulated follows from the data plane (DataPlane.modelled). */
export type DataPlaneAnswer = Pick<ProbeResult, "ok" | "message">;

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
  /**
   * True for a model worked out in-process from cluster state: its answers are simulated.
   * Absent or false: a real data plane (packets and HTTP requests), whose answers are not.
   */
  readonly modelled?: boolean;
  connectivity(params: ConnectivityParams, ctx: DataPlaneContext): DataPlaneAnswer | Promise<DataPlaneAnswer>;
  route(params: RouteParams, ctx: DataPlaneContext): DataPlaneAnswer | Promise<DataPlaneAnswer>;
}
