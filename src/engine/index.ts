/**
 * The engine's public surface: run scenarios and suites, sweep stale runs, and the
 * plug-in contracts (steps, probes, detectors) with their registries.
 */
export { runScenario } from "./runner.ts";
export type { RunContext } from "./context.ts";
export { runSuite, type SuiteOptions } from "./suite.ts";
export { sweepStale, type SweepResult } from "./sweep.ts";
export { startHeartbeat, leaseName, HEARTBEAT_NAMESPACE, STALE_AFTER_MS, type Heartbeat } from "./heartbeat.ts";
export { ClusterView, type ViewChange } from "./view.ts";
export { renderPlan } from "./plan.ts";
export { defaultRegistries, type Registries } from "./registries.ts";
export { Registry } from "./registry.ts";
export { newRunId, scenarioNamespace } from "./ids.ts";
export { execaRunner, type ProcessRunner, type ProcessResult } from "./exec.ts";
export { ANNOTATION_MARKED_AT, ANNOTATION_SIMULATED } from "../sdk/objects.ts";
export type {
  BuildEnv,
  ClusterAccess,
  ConnectivityParams,
  DataPlane,
  DataPlaneContext,
  Detector,
  EvalContext,
  Factory,
  Fault,
  FaultHandle,
  Need,
  Probe,
  ProbeResult,
  Remediation,
  RouteParams,
  Signal,
  Step,
  StepContext,
} from "../sdk/types.ts";
