import { AbortedError, GuardTrippedError } from "../errors.ts";
import type { Scenario } from "../scenario/types.ts";
import type { UndoFailure } from "../util/disposable.ts";
import { iso } from "../report/time.ts";
import type { Evidence, ScenarioRun, ScenarioStatus } from "../report/types.ts";
import { verdictReasons } from "../report/verdict.ts";
import type { RemediationMode } from "./remediate.ts";
import type { RunContext } from "./context.ts";
import type { Sighting } from "./detection.ts";
import type { Timeline } from "./timeline.ts";
import type { Detector, Probe, ProbeResult } from "../sdk/types.ts";

/** What one attempt measured and went through, filled in by the runner as it goes. */
export interface AttemptState {
  namespace: string;
  startedAt: number;
  faultStart?: number;
  detectEnd?: number;
  detectedAt?: number;
  sightings?: Sighting[];
  detectors?: readonly Detector[];
  /** Indices of the detectors whose signal was present before the fault and never went away. */
  lingering?: number[];
  remediation: RemediationMode;
  recoveredAt?: number;
  recoverEnd?: number;
  recoverEvidence: { probe: Probe; result: ProbeResult | undefined }[];
  rpo: { probe: Probe; result: ProbeResult }[];
  faultSimulated: boolean;
  error?: Error;
  reasons: string[];
  unwindFailures: UndoFailure[];
  leftovers: string[];
  /** What reverts could not bring back as it was (StepContext.notRestored). */
  notRestored: string[];
}

/** Turns the state into the report's ScenarioRun: TTD, RTO, verdict, evidence. */
export function assembleRun(
  scenario: Scenario,
  ctx: RunContext,
  st: AttemptState,
  timeline: Timeline,
  finishedAt: number,
): ScenarioRun {
  const targets = scenario.spec.targets;
  const f = st.faultStart;
  const ttdMs = f !== undefined && st.detectedAt !== undefined ? st.detectedAt - f : null;
  const rtoMs = f !== undefined && st.recoveredAt !== undefined ? st.recoveredAt - f : null;
  const offset = (at: number) => (f !== undefined ? { offsetMs: at - f } : {});
  const evidence: Evidence[] = (st.sightings ?? []).map((s) => ({
    kind: s.signal.kind,
    signal: s.detector.describe(),
    text: s.signal.text,
    at: iso(s.at),
    ...offset(s.at),
    simulated: s.signal.simulated,
  }));
  const recoverAt = st.recoveredAt ?? st.recoverEnd;
  for (const { probe, result } of st.recoverEvidence) {
    if (result && recoverAt !== undefined)
      evidence.push({
        kind: "probe",
        signal: probe.describe(),
        text: result.message,
        at: iso(recoverAt),
        ...offset(recoverAt),
        simulated: result.simulated,
      });
  }
  for (const { probe, result } of st.rpo)
    evidence.push({
      kind: "rpo",
      signal: probe.describe(),
      text: result.message,
      ok: result.ok,
      at: iso(finishedAt),
      ...offset(finishedAt),
      simulated: result.simulated,
    });

  const leftovers = [
    ...st.unwindFailures.map((u) => `revert failed: ${u.label}: ${(u.error as Error).message}`),
    ...st.leftovers,
  ];
  let status: ScenarioStatus;
  const reasons: string[] = [];
  if (st.error) {
    status = st.error instanceof AbortedError ? "aborted" : "error";
    reasons.push(st.error.message);
    if (leftovers.length) reasons.push(`cleanup left ${leftovers.length} thing(s) behind: ${leftovers.join(", ")}`);
  } else {
    const now = st.recoverEnd ?? finishedAt;
    reasons.push(
      ...verdictReasons({
        mode: scenario.spec.detect.mode,
        signals: (st.detectors ?? []).map((d, i) => {
          const s = st.sightings?.find((x) => x.index === i);
          return {
            describe: d.describe(),
            offsetMs: s && f !== undefined ? s.at - f : undefined,
            presentBefore: st.lingering?.includes(i) === true,
          };
        }),
        ttdMs,
        ttdTargetMs: targets.detectWithinMs,
        rtoMs,
        rtoTargetMs: targets.recoverWithinMs,
        watchedMs: f !== undefined ? now - f : 0,
        waitedMs: f !== undefined && st.recoverEnd !== undefined ? st.recoverEnd - f : 0,
        remediated: st.remediation !== "skipped",
        rpo: st.rpo.map((r) => ({
          describe: r.probe.describe(),
          ok: r.result.ok,
          message: r.result.message,
          ...(r.result.writes ? { writes: r.result.writes } : {}),
        })),
        leftovers,
      }),
    );
    status = reasons.length > 0 ? "failed" : "passed";
  }
  const rpo = rpoCount(st.rpo.map((r) => r.result));
  return {
    name: scenario.metadata.name,
    file: scenario.file,
    attempt: ctx.attempt ?? 1,
    status,
    ttdMs,
    rtoMs,
    ...(rpo ? { rpo } : {}),
    targets: { ttdMs: targets.detectWithinMs, rtoMs: targets.recoverWithinMs },
    provider: ctx.provider ?? "unknown",
    namespace: st.namespace,
    startedAt: iso(st.startedAt),
    finishedAt: iso(finishedAt),
    reasons,
    timeline: timeline.entries(f),
    evidence,
    simulated: st.faultSimulated || evidence.some((e) => e.simulated),
    cleanup: {
      ok: leftovers.length === 0,
      leftovers,
      ...(st.notRestored.length ? { notRestored: [...st.notRestored] } : {}),
    },
    phasesMs: timeline.phaseTimes(finishedAt),
    ...(st.error instanceof GuardTrippedError
      ? {
          abortedBy: {
            scenario: scenario.metadata.name,
            field: st.error.guard.field,
            guard: st.error.guard.probe,
            evidence: st.error.guard.evidence,
            at: iso(st.error.guard.at),
            ...offset(st.error.guard.at),
          },
        }
      : {}),
  };
}

/** The RPO probes' write counts summed (acknowledgedWrites), or undefined when none counted. */
export function rpoCount(results: readonly ProbeResult[]): ScenarioRun["rpo"] {
  const counts = results.flatMap((r) => (r.writes ? [r.writes] : []));
  if (counts.length === 0) return undefined;
  const sum = (k: "acknowledged" | "target" | "notAcknowledged") => counts.reduce((a, c) => a + c[k], 0);
  const unknown = counts.some((c) => c.lost === null);
  return {
    acknowledged: sum("acknowledged"),
    lost: unknown ? null : counts.reduce((a, c) => a + c.lost!, 0),
    target: sum("target"),
    notAcknowledged: sum("notAcknowledged"),
  };
}

/**
 * The ScenarioRun of an attempt that threw instead of reporting (an unexpected error
 * outside the runner's own handling): status "error" ("aborted" for an abort), the error
 * message as its reason, and cleanup not verified (ok false, leftovers unknown).
 */
export function errorRun(
  scenario: Scenario,
  o: { attempt: number; provider?: string; error: unknown; startedAt: number; finishedAt: number },
): ScenarioRun {
  const message = o.error instanceof Error ? o.error.message : String(o.error);
  const t = scenario.spec.targets;
  return {
    name: scenario.metadata.name,
    file: scenario.file,
    attempt: o.attempt,
    status: o.error instanceof AbortedError ? "aborted" : "error",
    ttdMs: null,
    rtoMs: null,
    targets: { ttdMs: t.detectWithinMs, rtoMs: t.recoverWithinMs },
    provider: o.provider ?? "unknown",
    namespace: "",
    startedAt: iso(o.startedAt),
    finishedAt: iso(o.finishedAt),
    reasons: [message],
    timeline: [],
    evidence: [],
    simulated: false,
    cleanup: { ok: false, leftovers: [] },
  };
}

/**
 * An attempt the run never started (it was interrupted, or stopped by an error first):
 * "aborted" (or "error"), reason `not started: ...`, and nothing to clean up.
 */
export function notRun(
  scenario: Scenario,
  attempt: number,
  why: unknown,
  at: number,
  provider: string | undefined,
): ScenarioRun {
  const run = errorRun(scenario, {
    attempt,
    error: why,
    startedAt: at,
    finishedAt: at,
    ...(provider ? { provider } : {}),
  });
  return { ...run, reasons: [`not started: ${run.reasons[0]}`], cleanup: { ok: true, leftovers: [] } };
}
