import { knownKind } from "../k8s/kinds.ts";
import type { ScenarioRun } from "../report/types.ts";
import type { Scenario } from "../scenario/types.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import { AsyncStack } from "../util/disposable.ts";
import { assembleRun, type AttemptState } from "./attempt-report.ts";
import { instantiate } from "../pipeline/instantiate.ts";
import { awaitApiServer } from "./await-api.ts";
import { SourceFiles } from "../pipeline/source-files.ts";
import { evalContext, stepContext, type LeftoverScope, type RunContext } from "./context.ts";
import { DetectionMonitor } from "./detection.ts";
import { shortId, scenarioNamespace } from "../util/ids.ts";
import { ProbeMonitor } from "./monitor.ts";
import { AbortGuards } from "./guards.ts";
import {
  checkRequirements,
  createNamespace,
  evaluateOnce,
  holdOrFail,
  race,
  remediateStep,
  runSteps,
} from "./phases.ts";
import { defaultRegistries } from "../pipeline/registries.ts";
import { Timeline } from "./timeline.ts";
import { verifyCleanup } from "./verify-cleanup.ts";
import { ClusterView } from "./view.ts";
import { interruptedError } from "./interrupt.ts";
import { abortReason } from "./wait.ts";
import { skippedRun, skipReason } from "./skip.ts";

export type { RunContext } from "./context.ts";

/**
 * Runs one attempt of a scenario through its phases — setup, steady-state, inject,
 * detect, remediate, recover, verify, cleanup — and returns its ScenarioRun.
 *
 * - On a cluster that lacks a capability the scenario requires (spec.requires.capabilities,
 *   as ctx.cluster says), the attempt is not started: "skipped", with what it needs.
 * - Everything started or changed goes on one AsyncStack, unwound on success, failure,
 *   error and abort; then cleanup is verified (namespace gone, no labelled leftovers).
 *   An attempt without error whose stack unwound cleanly tells ctx.onUndone before that
 *   wait, so that a suite can start the next attempt while this namespace terminates.
 * - Detectors subscribe before the fault is injected but count only what is received at
 *   or after the fault start; state signals already present right before the injection
 *   (baseline) count only once they have gone and come back (detection.ts). TTD = first
 *   sighting (mode all: the last of the first sightings; any: the first) minus fault start.
 * - Remediation starts when detection completes or the TTD target passes.
 * - RTO = the moment the recover probes (default: steady state) began to hold, held for
 *   holdFor, minus fault start. A hold counts from no earlier than the end of the detect
 *   phase (one cannot have recovered from a fault before it was seen), only from
 *   evaluations started after the fault start and after the detect phase (monitor.ts),
 *   and must begin within the RTO target. If the recover probes never failed after the
 *   fault, the timeline says so (the run is not failed for it: some faults are detected
 *   through events while those probes stay green).
 * - Abort guards (spec.abortWhen) are evaluated from the end of setup until cleanup
 *   starts; the first failure aborts the attempt (guards.ts): everything is reverted as
 *   usual and the attempt is "aborted" with the guard and its evidence (`abortedBy`).
 * - Times: a watch event's receivedAt, or when an evaluation started (synchronous) or
 *   ended (asynchronous: command, http) — never before the state was observed (slot.ts).
 */
export async function runScenario(scenario: Scenario, ctx: RunContext): Promise<ScenarioRun> {
  const clock: Clock = ctx.clock ?? systemClock;
  // A cluster without what the scenario requires: not started, nothing created (skip.ts).
  const skip = skipReason(scenario, { provider: ctx.provider, capabilities: ctx.cluster?.capabilities });
  if (skip !== undefined)
    return skippedRun(scenario, { attempt: ctx.attempt ?? 1, reason: skip, at: clock.now(), provider: ctx.provider });
  const namespace = scenarioNamespace(scenario.metadata.name, (ctx.newId ?? shortId)());
  const log = ctx.log.child({ scenario: scenario.metadata.name, attempt: ctx.attempt ?? 1 });
  const st: AttemptState = {
    namespace,
    startedAt: clock.now(),
    remediation: "none",
    rpo: [],
    recoverEvidence: [],
    faultSimulated: false,
    reasons: [],
    unwindFailures: [],
    leftovers: [],
    notRestored: [],
  };
  const who = { scenario: scenario.metadata.name, attempt: ctx.attempt ?? 1 };
  const timeline = new Timeline(clock, log, st.startedAt, (phase, at) => ctx.hooks?.phase?.(phase, at, who));
  const failure = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, failure.signal]) : failure.signal;
  const stack = new AsyncStack();
  const touched = new Map<string, LeftoverScope>();
  const view = new ClusterView(ctx.kube, { clock, log, ...(ctx.cluster ? { network: ctx.cluster.network } : {}) });
  view.failed.catch((e: Error) => failure.abort(e));
  const ev = evalContext(ctx, { clock, log, view, namespace, file: scenario.file, signal });
  const sc = {
    ...stepContext(ctx, ev, touched, st.notRestored),
    note: (what: string, level?: "info" | "warn") => timeline.note(what, level),
  };
  let detection: DetectionMonitor | undefined;
  let recovery: ProbeMonitor | undefined;
  let guards: AbortGuards | undefined;
  try {
    const provisioner = ctx.cluster?.capabilities.dynamicProvisioner;
    const authRegistry = ctx.cluster?.capabilities.registry?.host;
    const vars = { ...(provisioner ? { provisioner } : {}), ...(authRegistry ? { authRegistry } : {}) };
    // The scenario was checked by the pipeline; binding it to this attempt's namespace (and
    // the cluster's facts) is the same function on the same files, read once per run.
    const built = instantiate(scenario, {
      namespace,
      runId: ctx.runId,
      registries: ctx.registries ?? defaultRegistries(),
      sources: ctx.sources ?? new SourceFiles(),
      ...(Object.keys(vars).length > 0 ? { vars } : {}),
    });
    const { targets } = scenario.spec;
    if (signal.aborted) throw abortReason(signal);
    timeline.phase("setup", `namespace ${namespace}`);
    await checkRequirements(sc, scenario);
    await createNamespace(sc, stack);
    stack.defer("stop watches", () => view.close());
    await race(view.ensure(built.needs), signal);
    await runSteps(built.setup, scenario.spec.setup.steps, sc, stack, timeline, signal);
    await race(view.ensure(built.needs), signal); // kinds whose CRD setup just installed
    const setupDeadline = st.startedAt + scenario.spec.setup.timeoutMs;
    if (built.waitFor.length) await holdOrFail(built.waitFor, ev, setupDeadline, "setup.waitFor", timeline);
    guards = new AbortGuards(built.abortWhen, scenario.spec.abortWhen ?? [], ev, {
      phase: () => timeline.current,
      onTrip: (err) => failure.abort(err),
    }).start();
    if (built.abortWhen.length) timeline.note(`watching ${built.abortWhen.length} abort guard(s)`);
    timeline.phase("steady-state");
    // Probes that watch the whole attempt (acknowledgedWrites writes from here on): stopped
    // before the verify phase reads them back, and on every other way out by the stack.
    const started = [...new Set([...built.steadyState, ...built.recover, ...built.rpo])].flatMap((p) =>
      p.start ? [p.start(ev)] : [],
    );
    const stopStarted = async () => void (await Promise.all(started.map((s) => s.stop())));
    if (started.length) stack.defer(`stop ${started.length} probe writer(s)`, stopStarted);
    await holdOrFail(built.steadyState, ev, Math.max(setupDeadline, clock.now()), "steady state", timeline);

    detection = new DetectionMonitor(built.signals, ev, scenario.spec.detect.mode, (sighting) =>
      ctx.hooks?.signal?.(sighting, who),
    ).start();
    recovery = new ProbeMonitor(built.recover, ev).start();
    for (const d of await race(detection.baseline(), signal))
      timeline.note(
        `signal ${d} is already present before the fault: it counts only once it has gone and come back`,
        "warn",
      );
    timeline.phase("inject");
    st.faultStart = clock.now();
    detection.countFrom(st.faultStart);
    recovery.countFrom(st.faultStart);
    st.faultSimulated = await runSteps(built.fault, scenario.spec.fault, sc, stack, timeline, signal);

    timeline.phase(
      "detect",
      `waiting up to ${targets.detectWithinMs}ms for ${built.signals.length} signal(s) (${scenario.spec.detect.mode})`,
    );
    const detected =
      built.signals.length > 0 && (await detection.waitComplete(st.faultStart + targets.detectWithinMs, signal));
    st.detectEnd = clock.now();
    const outcome = detected
      ? `detected at +${detection.detectedAt()! - st.faultStart}ms`
      : built.signals.length
        ? "TTD target passed without detection; remediating anyway"
        : "no signals to detect";
    timeline.note(outcome);

    timeline.phase("remediate");
    st.remediation = await remediateStep(built, scenario, sc, stack, timeline, signal, ctx.remediate !== false);

    timeline.phase(
      "recover",
      `waiting for ${built.recover.length} probe(s) to hold${scenario.spec.recover.holdForMs ? ` for ${scenario.spec.recover.holdForMs}ms` : ""}, RTO target ${targets.recoverWithinMs}ms`,
    );
    const held = await recovery.waitHold({
      holdForMs: scenario.spec.recover.holdForMs,
      deadline: st.faultStart + targets.recoverWithinMs,
      from: st.detectEnd,
      signal,
    });
    st.recoverEnd = clock.now();
    st.recoveredAt = held;
    st.recoverEvidence = built.recover.map((p, i) => ({ probe: p, result: recovery!.results[i] }));
    timeline.note(
      held !== undefined
        ? `recovered at +${held - st.faultStart}ms`
        : `not recovered: ${recovery.failures().join("; ")}`,
    );
    if (!recovery.failedSinceCountFrom)
      timeline.note(
        `recover probes never failed after the fault (the RTO then only says when the checks ran, not that the fault had an effect on them)`,
        "warn",
      );

    timeline.phase("verify");
    await race(stopStarted(), signal);
    // Independent reads: side by side, each result beside its probe.
    st.rpo = await Promise.all(built.rpo.map(async (probe) => ({ probe, result: await evaluateOnce(probe, ev) })));
    if (ctx.signal?.aborted) throw abortReason(ctx.signal);
  } catch (err) {
    st.error = ctx.signal?.aborted
      ? interruptedError(ctx.signal, timeline.current, err)
      : (guards?.tripped ?? (err as Error));
    timeline.note(st.error.message, "warn");
  } finally {
    guards?.stop();
    // A guard that failed while nothing was waiting on the signal (the verify phase) still counts.
    if (!st.error && guards?.tripped && !ctx.signal?.aborted) {
      st.error = guards.tripped;
      timeline.note(st.error.message, "warn");
    }
    st.sightings = detection?.sightings() ?? [];
    st.detectors = detection?.detectors ?? [];
    st.detectedAt = detection?.detectedAt();
    st.lingering = detection?.lingering() ?? [];
    detection?.stop();
    recovery?.stop();
    timeline.phase("cleanup");
    await awaitApiServer(ctx.kube, { clock, log });
    st.unwindFailures = await stack.unwind((f) =>
      log.warn(`cleanup: ${f.label} failed: ${(f.error as Error).message}`),
    );
    const declared = (scenario.spec.requires.touches?.kinds ?? [])
      .map((k) => knownKind(k))
      .filter((k): k is NonNullable<typeof k> => k !== undefined);
    for (const k of declared.filter((x) => !x.namespaced)) sc.touched(k);
    // Nothing of this attempt acts on the cluster any more: what is left is waiting.
    if (!st.error && st.unwindFailures.length === 0) ctx.onUndone?.();
    st.leftovers = await verifyCleanup(ctx.kube, clock, log, {
      namespace,
      runId: ctx.runId,
      scenarioLabel: namespace,
      scopes: [...touched.values()],
      timeoutMs: ctx.cleanupTimeoutMs ?? 120_000,
    }).catch((err: Error) => [`cleanup could not be verified: ${err.message}`]);
    const notBack = st.notRestored.length ? `; not as it was: ${st.notRestored.join("; ")}` : "";
    if (st.leftovers.length || st.unwindFailures.length)
      timeline.note(
        `cleanup incomplete: ${[...st.unwindFailures.map((f) => f.label), ...st.leftovers].join(", ")}${notBack}`,
        "warn",
      );
    else if (notBack) timeline.note(`cleanup done, nothing left behind${notBack}`, "warn");
    else timeline.note("cleanup complete");
  }
  const finishedAt = clock.now();
  const run = assembleRun(scenario, ctx, st, timeline, finishedAt);
  if (st.error || !ctx.signal?.aborted) return run;
  // Interrupted while cleaning up an attempt that had reached its verdict: the attempt is
  // reported as interrupted (with that verdict in its reasons), so that the report, junit
  // and the exit status agree (README, "Exit status").
  const verdict = `the scenario had ${run.status}${run.reasons.length ? ` (${run.reasons.join("; ")})` : ""}`;
  st.error = interruptedError(ctx.signal, `cleanup, after ${verdict}`);
  return assembleRun(scenario, ctx, st, timeline, finishedAt);
}
