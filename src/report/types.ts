/**
 * The report model: what the engine assembles and every reporter renders (report.json is
 * this, serialised). Other tools and CI checks rely on these names; change them only with a
 * new `schemaVersion`.
 */
export type ScenarioStatus = "passed" | "failed" | "error" | "aborted";

/** The phases of an attempt, in the order they run. */
export const PHASES = [
  "setup",
  "steady-state",
  "inject",
  "detect",
  "remediate",
  "recover",
  "verify",
  "cleanup",
] as const;

export type Phase = (typeof PHASES)[number];

export interface TimelineEntry {
  /** ISO-8601 time with milliseconds. */
  at: string;
  /** Milliseconds since the fault was injected (negative before it). */
  offsetMs?: number;
  phase: Phase;
  what: string;
}

export interface Evidence {
  /** "event", "condition", "finding", "probe", "taint", "field", ... */
  kind: string;
  /** The signal or probe it satisfied, as written in the scenario. */
  signal?: string;
  /** What was seen, verbatim where it came from the cluster. */
  text: string;
  /** For an RPO probe (kind "rpo"): whether it passed. */
  ok?: boolean;
  at: string;
  offsetMs?: number;
  /** True when a model produced it (kwok, a modelled fault or data plane): src/sdk/provenance.ts. */
  simulated: boolean;
}

export interface ScenarioRun {
  name: string;
  file: string;
  /** 1-based attempt number under --repeat. */
  attempt: number;
  status: ScenarioStatus;
  /** Time to detect, ms; null when not detected. */
  ttdMs: number | null;
  /** Time to recover, ms; null when not recovered. */
  rtoMs: number | null;
  targets: { ttdMs: number; rtoMs: number };
  provider: string;
  namespace: string;
  startedAt: string;
  finishedAt: string;
  /** Why it failed / errored / was aborted; empty when passed. */
  reasons: string[];
  timeline: TimelineEntry[];
  evidence: Evidence[];
  /** Whether any evidence used for the verdict was simulated. */
  simulated: boolean;
  /**
   * ok: nothing left behind. notRestored (only when there is something): what the reverts
   * could not bring back as it was (a recreated object's new uid, ...).
   */
  cleanup: { ok: boolean; leftovers: string[]; notRestored?: string[] };
  /**
   * Set when an abort guard (spec.abortWhen) stopped this attempt, or kept it from starting
   * because another attempt's guard had tripped: which guard, what it saw, and when.
   */
  abortedBy?: AbortGuardTrip;
}

export interface AbortGuardTrip {
  /** The scenario whose guard tripped. */
  scenario: string;
  /** Where the guard is written: `spec.abortWhen[0]`. */
  field: string;
  /** The probe as described in the plan. */
  guard: string;
  /** What the probe saw when it failed. */
  evidence: string;
  at: string;
  /** Milliseconds since the fault was injected (negative or absent before it). */
  offsetMs?: number;
}

export interface DurationStats {
  count: number;
  median: number | null;
  p95: number | null;
  max: number | null;
}

/** One per scenario name when --repeat > 1 (and also for 1). */
export interface ScenarioAggregate {
  name: string;
  runs: number;
  passed: number;
  status: ScenarioStatus;
  ttd: DurationStats;
  rto: DurationStats;
  targets: { ttdMs: number; rtoMs: number };
}

export interface RunReport {
  schemaVersion: 1;
  tool: { name: "kubedrill"; version: string };
  runId: string;
  provider: string;
  /**
   * `unavailable`: why the run got no cluster (no provider works here, the cluster could not
   * be started, its API server did not answer); every attempt is then "error", "not run: ...".
   */
  cluster: { name: string; serverVersion?: string; unavailable?: string };
  startedAt: string;
  finishedAt: string;
  status: ScenarioStatus;
  options: { repeat: number; parallel: number; remediate: boolean; dryRun: boolean };
  /** Every attempt of every scenario, in the order they finished. */
  scenarios: ScenarioRun[];
  aggregates: ScenarioAggregate[];
}
