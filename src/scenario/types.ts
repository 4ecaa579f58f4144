/**
 * The scenario model after loading and validation (src/scenario/load.ts). In YAML every
 * step, probe and signal is a one-key map, `{ <type>: { ...params } }`; loading turns it
 * into `{ type, params, loc }`. Durations are converted to milliseconds.
 *
 * The types themselves are plug-in modules listed in src/steps/index.ts,
 * src/probes/index.ts and src/signals/index.ts; each carries its parameter schema, from
 * which the JSON Schema is generated (src/scenario/catalogue.ts, `kubedrill schema`).
 */

import type { CapabilityName } from "../providers/capabilities.ts";

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
  /**
   * What the cluster must have besides nodes (src/providers/capabilities.ts); an attempt on a
   * cluster lacking one is skipped, nothing created. Absent: nothing required.
   */
  capabilities?: CapabilityName[];
  /**
   * What the steps change outside the scenario's namespace (src/pipeline/scope.ts refuses
   * the rest): cluster-scoped and custom kinds (Node for node and provider steps), and
   * other namespaces by name. Absent in models built by hand: nothing declared.
   */
  touches?: Touches;
}

export interface Touches {
  kinds: string[];
  namespaces: string[];
}

export interface Scenario {
  /** Absolute path of the scenario file (paths in it are relative to its folder). */
  file: string;
  apiVersion: "kubedrill.io/v1alpha1";
  kind: "Scenario";
  metadata: ScenarioMetadata;
  spec: {
    /**
     * The value each of spec.variables took (given, else its default), already substituted
     * into the rest of the spec. Absent in models built by hand and when none is declared.
     */
    variables?: Record<string, string | number | boolean>;
    requires: Requirements;
    targets: Targets;
    setup: SetupSpec;
    steadyState: ProbeSpec[];
    /**
     * Abort guards: probes that must keep holding from the end of setup to the start of
     * cleanup; the first failure stops the attempt (status aborted). Absent: none.
     */
    abortWhen?: ProbeSpec[];
    fault: StepSpec[];
    detect: DetectSpec;
    remediate: RemediateSpec;
    recover: RecoverSpec;
  };
}
