import type { ClusterSnapshot } from "../diagnose/types.ts";

/** The data-plane contract: real probes (kind, real nodes) or a model of them (kwok nodes). */
export interface ProbeResult {
  ok: boolean;
  message: string;
  /** True when the answer came from a model rather than the real data plane/cluster. */
  simulated: boolean;
  /** What a probe of acknowledged writes counted (acknowledgedWrites): the RPO figures. */
  writes?: WriteCount;
}

/** Writes a client had acknowledged, and how many of them the store no longer has. */
export interface WriteCount {
  acknowledged: number;
  /** Acknowledged but missing when read back; null when the store could not be read back (RPO unknown). */
  lost: number | null;
  /** The most that may be lost (the RPO target, in writes). */
  target: number;
  /** Attempted but not acknowledged (refused, failed, unanswered): never counted as lost. */
  notAcknowledged: number;
}

/** One HTTP request through the Ingress controller (no body). */
export interface RequestParams {
  host?: string;
  /** Path and query, starting with /. */
  path: string;
  method: "GET" | "POST";
  timeoutMs: number;
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

/** A load window: `rps` requests a second for `durationMs` through the Ingress controller. */
export interface LoadParams {
  host?: string;
  path: string;
  rps: number;
  durationMs: number;
  /** Per request: no answer by then counts as a time-out. */
  timeoutMs: number;
  /** A 2xx answer from another Service's pod counts as an error (needs an answer naming its pod). */
  expectService?: string;
  namespace: string;
}

/** What one load window measured (src/dataplane/load.ts); judged by the `load` probe. */
export interface LoadMeasurement {
  /** Requests the schedule called for: rps × duration. */
  scheduled: number;
  sent: number;
  /** Skipped because the in-flight limit was reached (the client, not the server, was the limit). */
  notSent: number;
  /** 2xx answers (from the expected Service, when one is named). */
  ok: number;
  timeouts: number;
  /** Non-2xx answers by status code. */
  statuses: Record<string, number>;
  /** Requests that failed without an answer (refused, reset, closed) by error code. */
  connectionErrors: Record<string, number>;
  /** 2xx answers from another backend than the expected Service, by backend. */
  otherBackends: Record<string, number>;
  /**
   * Latency percentiles (nearest rank) over every request sent but not cut short by an
   * abort, a timed-out one counted as the time-out; undefined when none was.
   */
  latencyMs?: { p50: number; p95: number; p99: number };
  /** From the first send to the end of the window (longer than the duration when sends fell behind). */
  windowMs: number;
  /** How far behind its schedule the latest send went (a busy client machine). */
  maxLateMs: number;
  timeoutMs: number;
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
  /**
   * Sends real requests through the Ingress controller on a fixed schedule and measures
   * them. Only a real data plane has it: a model has no latency or error rate to measure
   * and must not invent one. One window per host at a time: callers queue (see real.ts).
   */
  load?(params: LoadParams, ctx: DataPlaneContext): Promise<LoadMeasurement>;
  /**
   * One real request through the Ingress controller; rejects when there is no answer
   * (refused, reset, timed out). Only a real data plane has it.
   */
  request?(params: RequestParams, ctx: DataPlaneContext): Promise<{ status: number; body: string }>;
}
