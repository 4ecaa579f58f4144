import { GuardTrippedError, KubedrillError, UsageError } from "../errors.ts";
import type { Kube } from "../k8s/kube.ts";
import { runReport } from "../report/run-report.ts";
import { runTiming } from "../report/timing.ts";
import { iso } from "../report/time.ts";
import type { AbortGuardTrip, RunReport, ScenarioRun } from "../report/types.ts";
import { systemClock } from "../util/clock.ts";
import { AsyncStack } from "../util/disposable.ts";
import { formatMs } from "../util/duration.ts";
import { errorRun, notRun } from "./attempt-report.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import type { RunContext } from "./context.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { newRunId } from "../util/ids.ts";
import { renderPlan } from "./plan.ts";
import { eachLimited } from "./pool.ts";
import { changesNodes, Gate, whyAlone } from "./exclusive.ts";
import { runScenario } from "./runner.ts";
import { sweepStale } from "./sweep.ts";
import { abortReason } from "./wait.ts";
import { clusterLabel, skippedRun, skipReason } from "./skip.ts";
import type { Scenario } from "../scenario/types.ts";

interface SuiteOptions extends Omit<RunContext, "kube" | "runId" | "attempt"> {
  /** Required unless dryRun. */
  kube?: Kube;
  runId?: string;
  /** Each scenario this many times (default 1). */
  repeat?: number;
  /** At most this many attempts side by side (default 1). */
  parallel?: number;
  /** Print the plan through `out` and touch nothing. */
  dryRun?: boolean;
  out?: (text: string) => void;
  clusterName?: string;
  version?: string;
  /** Sweep stale runs' leftovers first (default true). */
  sweep?: boolean;
  /** Keep a heartbeat Lease while running (default true). */
  heartbeat?: boolean;
  /** When the caller began getting the cluster, and how long that took (report.timing). */
  clusterStart?: { at: number; ms: number };
}

/**
 * Runs scenarios (each `repeat` times, `parallel` at a time) and returns the RunReport.
 * The scenarios come built and checked by the pipeline (src/pipeline/check.ts), before
 * any cluster work; each attempt binds its scenario to its own namespace with the same
 * registries and files (opts.registries, opts.sources). Then: a sweep of
 * stale runs, a heartbeat Lease, the attempts, and aggregates (median, p95, max of TTD
 * and RTO per scenario). On abort, attempts in flight clean up and report "aborted";
 * attempts not yet started are not run. Once an attempt's abort guard (spec.abortWhen) has
 * tripped, no further attempt starts: those are "aborted", `not started: ...`, with the
 * same `abortedBy`; attempts already under way go on under their own guards. An attempt that throws is reported as an "error"
 * run with the message as its reason, while the others run to their end. An attempt whose
 * scenario requires a capability the cluster lacks (opts.cluster) is "skipped" without
 * starting (src/engine/skip.ts); when every one is, no heartbeat Lease is made either.
 * An attempt's slot frees once it has undone what it did: the wait for its namespace to go
 * runs beside the next attempt. Attempts that change nodes (changesNodes) are the exception:
 * they run last, each after every earlier attempt has finished, and hold the cluster to their end.
 */
export async function runSuite(built: readonly BuiltScenario[], opts: SuiteOptions): Promise<RunReport> {
  const clock = opts.clock ?? systemClock;
  const repeat = opts.repeat ?? 1;
  const parallel = opts.parallel ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new UsageError(`--repeat must be a whole number >= 1 (got ${repeat})`);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new UsageError(`--parallel must be a whole number >= 1 (got ${parallel})`);
  const runId = opts.runId ?? newRunId(clock);
  const scenarios = built.map((b) => b.scenario);
  const startedAt = clock.now();
  const runs: ScenarioRun[] = [];
  let startupMs = 0;
  if (opts.dryRun) {
    for (const b of built)
      (opts.out ?? ((t: string) => opts.log.info(t)))(
        renderPlan(b, { remediate: opts.remediate !== false, repeat }) + "\n",
      );
  } else {
    const kube = opts.kube;
    if (!kube) throw new KubedrillError("runSuite needs a Kube unless dryRun is set");
    // Attempts that change nodes run after the others (in file order within each group): each
    // of them waits for everything before it to finish, while the others overlap the wait
    // for one another's namespaces to go. The report keeps the files' order.
    const attempts = [
      ...scenarios.filter((s) => !changesNodes(s)),
      ...scenarios.filter((s) => changesNodes(s)),
    ].flatMap((s) => Array.from({ length: repeat }, (_, i) => ({ scenario: s, attempt: i + 1 })));
    const started = new Set<(typeof attempts)[number]>();
    const cluster = { provider: opts.provider, capabilities: opts.cluster?.capabilities };
    const skipOf = (s: Scenario) => skipReason(s, cluster);
    const stack = new AsyncStack();
    let stopped: unknown;
    let guardTrip: AbortGuardTrip | undefined;
    // Shared attempts run together; one that must run alone waits until the others have undone
    // what they did, and holds the gate until it has undone its own (their namespaces may still
    // be terminating). One that changes nodes also waits for every attempt in flight to end, and
    // holds the gate to its own end.
    const gate = new Gate();
    /** One attempt, from its start to its report in `runs`; `undone` as ctx.onUndone. */
    const attemptRun = async (item: (typeof attempts)[number], undone: () => void): Promise<void> => {
      started.add(item);
      const { scenario, attempt } = item;
      const label = `${scenario.metadata.name}${repeat > 1 ? ` (attempt ${attempt}/${repeat})` : ""}`;
      const skip = skipOf(scenario);
      if (skip !== undefined) {
        // Not started: no namespace, no gate to wait for (src/engine/skip.ts).
        const at = clock.now();
        runs.push(skippedRun(scenario, { attempt, reason: skip, at, provider: opts.provider }));
        opts.log.info(`${label}: skipped: ${skip}`, {
          scenario: scenario.metadata.name,
          attempt,
          status: "skipped",
        });
        return;
      }
      const why = whyAlone(scenario, { repeat });
      const alone = why !== undefined;
      if (alone && parallel > 1) opts.log.info(`${label} ${why}: it runs alone`, { scenario: scenario.metadata.name });
      const startedAt = clock.now();
      const nodeLevel = changesNodes(scenario);
      let run: ScenarioRun;
      try {
        let whole: Promise<ScenarioRun> | undefined;
        let freed!: () => void;
        const undoneHere = new Promise<void>((resolve) => (freed = resolve));
        await gate.run(alone, async () => {
          // Its pods may still be on the nodes it is about to change: earlier attempts end first.
          if (nodeLevel) await Promise.allSettled([...inFlight]);
          opts.log.info(`running ${label}`, { scenario: scenario.metadata.name, attempt });
          whole = runScenario(scenario, {
            ...opts,
            kube,
            clock,
            runId,
            attempt,
            ...(nodeLevel ? {} : { onUndone: freed }),
          });
          const mine = whole;
          inFlight.add(mine);
          const done = () => void inFlight.delete(mine);
          mine.then(done, done);
          await Promise.race([undoneHere, whole]);
        });
        undone();
        run = await whole!;
      } catch (err) {
        // The other attempts go on; this one is reported as an error.
        opts.log.error(`${label} failed unexpectedly: ${(err as Error).message}`, {
          scenario: scenario.metadata.name,
          attempt,
        });
        run = errorRun(scenario, {
          attempt,
          error: err,
          startedAt,
          finishedAt: clock.now(),
          ...(opts.provider ? { provider: opts.provider } : {}),
        });
      }
      const ttd = run.ttdMs === null ? "-" : formatMs(run.ttdMs);
      const rto = run.rtoMs === null ? "-" : formatMs(run.rtoMs);
      const rpo = run.rpo ? `, RPO ${run.rpo.lost ?? "unknown"}/${run.rpo.acknowledged} acknowledged writes lost` : "";
      opts.log.info(
        `${label}: ${run.status} (TTD ${ttd}, RTO ${rto}${rpo})${run.reasons.length ? `: ${run.reasons.join("; ")}` : ""}`,
        { scenario: run.name, attempt, status: run.status },
      );
      runs.push(run);
      if (run.abortedBy && !guardTrip) {
        guardTrip = run.abortedBy;
        opts.log.warn(`${label}: abort guard tripped; no further attempt starts`, { scenario: run.name });
      }
    };
    const settling: Promise<void>[] = [];
    /** Attempts started and not finished (their namespaces' deletion included). */
    const inFlight = new Set<Promise<ScenarioRun>>();
    try {
      if (opts.sweep !== false) await sweepStale(kube, opts.log, { clock });
      // Attempts that are all skipped create nothing, not even the heartbeat Lease.
      const skipsAll = scenarios.every((s) => skipOf(s) !== undefined);
      if (skipsAll) opts.log.warn(`every scenario is skipped on ${clusterLabel(cluster)}: it lacks what they require`);
      if (opts.heartbeat !== false && !skipsAll) {
        const heartbeat = await startHeartbeat(kube, { runId, clock, log: opts.log });
        // What an attempt could not clean up keeps the Lease, so the next sweep retries it.
        stack.defer("heartbeat", () => heartbeat.stop({ keepLease: runs.some((r) => !r.cleanup.ok) }));
      }
      startupMs = clock.now() - startedAt;
      await eachLimited(
        attempts,
        parallel,
        async (item) => {
          // The attempt's slot is free once it has undone what it did (or once it ended):
          // the wait for its namespace to go goes on beside the next attempt (settling).
          let undone!: () => void;
          const freed = new Promise<void>((resolve) => (undone = resolve));
          const whole = attemptRun(item, undone);
          settling.push(whole);
          await Promise.race([freed, whole]);
        },
        () => opts.signal?.aborted === true || guardTrip !== undefined,
      );
      await Promise.all(settling);
    } catch (err) {
      // The sweep or the heartbeat failed (or, against all care, the pool): the attempts
      // not run are reported as errors, and the report is still written.
      stopped = err;
      opts.log.error(`the run stopped unexpectedly: ${(err as Error).message}`);
    } finally {
      await Promise.allSettled(settling);
      for (const f of await stack.unwind()) opts.log.warn(`${f.label}: ${(f.error as Error).message}`);
    }
    // Attempts the run never started (interrupted, or stopped by an error) are in the
    // report, so that its status, junit.xml and the exit status tell the same story.
    const why =
      stopped ??
      (opts.signal?.aborted
        ? abortReason(opts.signal)
        : guardTrip
          ? new GuardTrippedError(
              `abort guard ${guardTrip.field} of scenario ${guardTrip.scenario} tripped: ${guardTrip.evidence}`,
              { field: guardTrip.field, probe: guardTrip.guard, evidence: guardTrip.evidence, at: clock.now() },
            )
          : undefined);
    if (why !== undefined)
      for (const a of attempts.filter((x) => !started.has(x))) {
        const run = notRun(a.scenario, a.attempt, why, clock.now(), opts.provider);
        runs.push(why instanceof GuardTrippedError && guardTrip ? { ...run, abortedBy: guardTrip } : run);
      }
    // Attempts finish out of order when one settles beside the next: the report keeps the files' order.
    const order = (r: ScenarioRun) => scenarios.findIndex((s) => s.metadata.name === r.name) * repeat + r.attempt;
    runs.sort((x, y) => order(x) - order(y));
  }
  const serverVersion = opts.kube && !opts.dryRun ? await opts.kube.serverVersion().catch(() => undefined) : undefined;
  const finishedAt = clock.now();
  const cs = opts.clusterStart;
  return runReport(
    {
      tool: { name: "kubedrill", version: opts.version ?? "0.0.0" },
      runId,
      provider: opts.provider ?? "unknown",
      cluster: {
        name: opts.clusterName ?? "",
        ...(opts.kube && !opts.dryRun ? { serverVersion } : {}),
      },
      startedAt: iso(startedAt),
      finishedAt: iso(finishedAt),
      options: { repeat, parallel, remediate: opts.remediate !== false, dryRun: opts.dryRun === true },
      scenarios: runs,
      ...(opts.dryRun
        ? {}
        : {
            timing: runTiming(runs, {
              wallStart: cs ? Math.min(cs.at, startedAt) : startedAt,
              finishedAt,
              startupMs,
              ...(cs ? { clusterStartMs: cs.ms } : {}),
            }),
          }),
    },
    {
      // The attempts say it: one interrupted (or never started) makes the run "aborted".
      aborted: false,
      keys: scenarios.map((s) => ({
        name: s.metadata.name,
        file: s.file,
        targets: { ttdMs: s.spec.targets.detectWithinMs, rtoMs: s.spec.targets.recoverWithinMs },
      })),
    },
  );
}
