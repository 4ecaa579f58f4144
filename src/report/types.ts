/**
 * The report model: what the engine assembles and every reporter renders (report.json is
 * this, serialised). Other tools and CI checks rely on these names; change them only with a
 * new `schemaVersion`.
 */
/**
 * skipped: the attempt was not started because the cluster lacks what the scenario requires
 * (spec.requires.capabilities); nothing was created, nothing measured. A run (or aggregate)
 * is "skipped" only when every attempt was.
 */
export type ScenarioStatus = "passed" | "failed" | "error" | "aborted" | "skipped";

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

/**
 * Wall time per phase, ms: only the phases entered, each from its entry to the next
 * phase's (setup from the attempt's start, cleanup to its end), so that an attempt's
 * phases add up to finishedAt - startedAt.
 */
export type PhaseTimes = Partial<Record<Phase, number>>;

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
  /**
   * RPO in writes, when an RPO probe counted acknowledged writes (acknowledgedWrites): how
   * many the client had acknowledged, how many of them were missing when read back, the
   * target (at most that many lost) and the writes never acknowledged (not lost). Summed
   * over such probes; `lost` is null when the store could not be read back (the store
   * still down: the RPO is unknown, not 0). Absent when no such probe ran.
   */
  rpo?: { acknowledged: number; lost: number | null; target: number; notAcknowledged: number };
  targets: { ttdMs: number; rtoMs: number };
  provider: string;
  namespace: string;
  startedAt: string;
  finishedAt: string;
  /** Why it failed / errored / was aborted / was skipped; empty when passed. */
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
   * Wall time per phase (detect: waiting for detection; recover: waiting for recovery).
   * Absent for an attempt that never ran its phases (not started, or failed outside them).
   */
  phasesMs?: PhaseTimes;
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

/** Where the run's wall time went (absent in a dry run). */
export interface RunTiming {
  /**
   * Getting the cluster: the provider starting it, or connecting to an existing one
   * (absent when the caller brought its own, as runSuite's programmatic users do).
   */
  clusterStartMs?: number;
  /** Between the cluster and the first attempt: the sweep of stale runs and the heartbeat Lease. */
  startupMs: number;
  /** Each phase summed over the attempts. */
  phasesMs: PhaseTimes;
  /** The attempts' wall times summed. */
  attemptsMs: number;
  /**
   * Every attempt's TTD plus RTO (those measured), summed. Both count from the fault start,
   * so the wait for detection is in both.
   */
  ttdRtoMs: number;
  /** From the start of the cluster start (or of the run) to the report. */
  wallMs: number;
  /** wallMs - ttdRtoMs: the time spent besides detecting and recovering. */
  overheadMs: number;
  /**
   * The most attempts under way at once: 1 when they ran one after another; more under
   * --parallel, and 2 when an attempt's cleanup (the wait for its namespace to go) ran
   * beside the next attempt: then the sums over attempts exceed the wall time they took.
   */
  maxConcurrent: number;
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
  /** Where the wall time went: cluster start, start-up, each phase, TTD+RTO and the rest. */
  timing?: RunTiming;
}
