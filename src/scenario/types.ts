/**
 * The scenario model after loading and validation (src/scenario/load.ts). In YAML every
 * step, probe and signal is a one-key map, `{ <type>: { ...params } }`; loading turns it
 * into `{ type, params, loc }`. Durations are converted to milliseconds.
 *
 * Catalogue of types (the JSON Schema in src/scenario/schema.json is the authority
 * on their parameters; this list is the overview):
 *
 * Target (which objects): { apiVersion?, kind, name?, selector?, namespace? }
 *   apiVersion defaults from the kind (Deployment -> apps/v1, ...); namespace defaults to
 *   the scenario's generated namespace for namespaced kinds. `name` or `selector`.
 * NodeSelector: { names?: string[], selector?: string, count?: number }
 *
 * Steps (setup, fault and remediate):
 *   apply      { path?: string, objects?: object[] }  server-side apply; path is relative
 *              to the scenario file; a file may hold several documents
 *   patch      { target, patch: object|array, patchType?: merge|strategic|json, subresource?: status }
 *   delete     { target }
 *   scale      { target, replicas }
 *   cordon / uncordon { nodes }
 *   taint      { nodes, key, value?, effect }          untaint { nodes, key, effect? }
 *   stopNodes  { nodes }     provider action: kubelets stop heartbeating
 *   fillDisk   { nodes }     provider action: the node's disk fills up
 *   collectImageGarbage { nodes }  provider action: kubelet image GC frees space
 *   restartPods { selector, namespace? }   delete pods so their controller recreates them
 *   command    { run: string[], timeout?, env?, expectExit? (default 0) }
 *   wait       { for: Probe[], timeout }
 *
 * Probes (setup.waitFor, steadyState, recover.probes, recover.rpo, detect probeFails):
 *   podsReady  { selector, namespace?, count? }   count defaults to "all matching, at least 1"
 *   available  { target }   a Deployment/StatefulSet/ReplicaSet with all replicas available
 *   condition  { target, type, status, reason? }
 *   field      { target, path, equals?|matches?|exists? }   path is dotted: status.phase
 *   noFinding  { code, namespace? }   the diagnose analysers report no such finding
 *   command    { run, expectExit?, timeout? }
 *   http       { url, expectStatus?, bodyMatches? }   needs a data plane
 *   connectivity { from: selector, to: { service, port } }   data plane, or the local model
 *   route      { host?, path, expectService, ingressClass? }  Ingress routing, or the model
 *
 * Signals (detect.signals):
 *   event      { involvedKind?, name?, selector?, reason, message? (regex), type? }
 *   condition  { target, type, status, reason? }
 *   field      { target, path, equals?|matches?|exists? }
 *   taint      { nodes, key, effect? }
 *   finding    { code, namespace?, message? (regex) }
 *   probeFails { probe: Probe }
 */

export interface SourceLoc {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field in the file: `spec.fault[1].taint`. */
  field: string;
}

export interface TypedSpec {
  type: string;
  params: Record<string, unknown>;
  loc: SourceLoc;
}

export type StepSpec = TypedSpec;
export type ProbeSpec = TypedSpec;
export type SignalSpec = TypedSpec;

export interface ScenarioMetadata {
  name: string;
  description?: string;
  tags: string[];
}

export interface Targets {
  /** TTD target. */
  detectWithinMs: number;
  /** RTO target. */
  recoverWithinMs: number;
}

export interface SetupSpec {
  steps: StepSpec[];
  waitFor: ProbeSpec[];
  timeoutMs: number;
}

export interface DetectSpec {
  /** all: every signal must be seen (TTD = the last one's first sighting); any: the first. */
  mode: "all" | "any";
  signals: SignalSpec[];
}

export interface RemediateSpec {
  steps: StepSpec[];
  /** Waits for the user's own remediation (an operator, a script, a person). */
  external?: { description: string };
}

export interface RecoverSpec {
  probes: ProbeSpec[];
  /** Data written before the fault that must still be there. */
  rpo: ProbeSpec[];
  /** Recovery counts once the probes have held continuously this long (default 0). */
  holdForMs: number;
}

export interface Requirements {
  /** Minimum Ready nodes. */
  nodes?: number;
  /** Cluster-scoped kinds the scenario creates or changes (recorded before changing). */
  clusterScoped?: string[];
}

export interface Scenario {
  /** Absolute path of the scenario file (paths in it are relative to its folder). */
  file: string;
  apiVersion: "kubedrill.io/v1alpha1";
  kind: "Scenario";
  metadata: ScenarioMetadata;
  spec: {
    requires: Requirements;
    targets: Targets;
    setup: SetupSpec;
    steadyState: ProbeSpec[];
    fault: StepSpec[];
    detect: DetectSpec;
    remediate: RemediateSpec;
    recover: RecoverSpec;
  };
}
