import { join, resolve } from "node:path";
import pkg from "../../../package.json" with { type: "json" };
import type { CliCommand, CliIO } from "../command.ts";
import { analyseAll } from "../../diagnose/index.ts";
import type { ClusterSnapshot, Finding } from "../../diagnose/types.ts";
import { newRunId } from "../../util/ids.ts";
import { gameDayWarnings, planLines } from "../../engine/plan.ts";
import { notRunReport } from "../../engine/not-run.ts";
import { runSuite } from "../../engine/suite.ts";
import { abortReason } from "../../engine/wait.ts";
import { UsageError, ValidationError } from "../../errors.ts";
import { createKube } from "../../k8s/client.ts";
import type { Kube } from "../../k8s/kube.ts";
import { checkScenarios } from "../../pipeline/check.ts";
import { describeGameDayTarget, isGameDay, startCluster, type StartClusterOptions } from "../../providers/index.ts";
import type { StartedCluster } from "../../providers/provider.ts";
import type { RunReport } from "../../report/types.ts";
import { writeReports } from "../../reporters/index.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { AsyncStack } from "../../util/disposable.ts";
import { exitCodeForReport, exitCodeForStop, EXIT } from "../exit.ts";
import { assertReportDirWritable } from "../report-dir.ts";
import { checkWorkersOption, runOptions, whole, type RunArgs } from "./run-options.ts";
import { scenarioSelection } from "./run-select.ts";
import { prepareResults, type RunResults } from "./run-results.ts";

export type { RunArgs } from "./run-options.ts";

/** What `kubedrill run` uses from other modules; injected so the command is testable. */
export interface RunDeps {
  /** The pipeline that `validate` runs (src/pipeline/check.ts). */
  check: typeof checkScenarios;
  startCluster(opts: StartClusterOptions): Promise<StartedCluster>;
  createKube(kubeconfigPath: string, opts?: { context?: string; clock?: Clock }): Kube;
  /** A game day's target (context, server, the guard's answer) for the dry-run plan. */
  describeTarget?: typeof describeGameDayTarget;
  writeReports(report: RunReport, dir: string): Promise<string[]>;
  /** Fails (UsageError) when reports cannot be written to `dir`; called before any cluster work. */
  checkReportDir(dir: string): Promise<void>;
  analyse?: (snapshot: ClusterSnapshot) => Finding[];
  clock?: Clock;
  version?: string;
}

/**
 * `kubedrill run [paths..]`: checks and builds the scenarios with the pipeline `validate`
 * runs, gets a cluster from the provider, runs the suite and writes the reports. Exit
 * status (src/cli/exit.ts): 0 all passed (or skipped), 1 any failed, 2 usage/validation/safety error
 * (thrown, no report), 3 any errored, 4 no cluster, 130 aborted. Once the scenarios are
 * valid, the reports are always written: without a cluster every attempt is "not run".
 * --log-format (text|json) is the global option of src/cli/main.ts, which builds io.log with it.
 */
export function createRunCommand(deps: RunDeps): CliCommand<RunArgs> {
  return {
    builder: runOptions,
    run: (args, io) => runRun(args, io, deps),
    statusCoversInterrupt: true,
  };
}

async function runRun(args: RunArgs, io: CliIO, deps: RunDeps): Promise<number> {
  if (args.preflight && !args.dryRun)
    return (await import("./preflight.ts")).runPreflight(args, io, { check: deps.check, createKube: deps.createKube });
  const repeat = whole("repeat", args.repeat ?? 1);
  const parallel = whole("parallel", args.parallel ?? 1);
  const workers = checkWorkersOption(args);
  const { paths, only } = await scenarioSelection(args, io.cwd);
  const results = await prepareResults(args, io);
  const clock = deps.clock ?? systemClock;
  const runId = newRunId(clock);
  // Checked and built once, before any cluster work; attempts bind these to their namespaces.
  const variables = { ...(args.set ? { set: args.set } : {}), ...(args.values ? { values: args.values } : {}) };
  const checked = await deps.check(paths, { cwd: io.cwd, runId, log: io.log, variables });
  if (checked.problems.length > 0) throw new ValidationError(checked.problems);
  if (checked.built.length === 0) throw new UsageError(`no scenarios found in ${paths.join(", ")}`);
  const built = only(checked.built);
  const common = {
    log: io.log,
    clock,
    runId,
    repeat,
    parallel,
    remediate: args.remediate !== false,
    signal: io.signal,
    registries: checked.registries,
    sources: checked.sources,
    ...(deps.version ? { version: deps.version } : {}),
  };
  const gameDay = isGameDay(args);
  // Commands get only the allowed context; arguments that name another one are worth a warning.
  const warnings = gameDay ? gameDayWarnings(built) : [];
  for (const w of warnings) io.log.warn(w.replace(/^warning: /, ""));
  if (args.dryRun) {
    if (gameDay && deps.describeTarget)
      for (const line of await deps.describeTarget(targetOptions(args, io))) io.out(line);
    for (const w of warnings) io.out(w);
    await runSuite(built, { ...common, dryRun: true, out: io.out });
    return io.signal.aborted ? exitCodeForStop(io.signal.reason) : EXIT.ok;
  }
  const dir = resolve(io.cwd, args.reportDir ?? join("reports", runId));
  await deps.checkReportDir(dir);
  // The plan is shown if the provider refuses a context.
  const plan = planLines(built, { remediate: common.remediate });
  await using stack = new AsyncStack();
  const startedAt = clock.now();
  let cluster: StartedCluster;
  try {
    cluster = await deps.startCluster({
      provider: args.provider,
      name: args.name,
      log: io.log,
      signal: io.signal,
      env: io.env,
      runId,
      plan,
      dryRun: false, // a dry run returned above, without a cluster
      allowNodeFaults: args.allowNodeFaults === true,
      nodes: args.nodes ?? "auto",
      ...(workers !== undefined ? { workers } : {}),
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.context ? { context: args.context } : {}),
      ...(args.allowContext?.length ? { allowContexts: args.allowContext } : {}),
    });
  } catch (err) {
    // A bad --provider or a refused context is the user's to fix (exit 2, nothing to report).
    if (err instanceof UsageError && !io.signal.aborted) throw err;
    // No cluster (or interrupted while getting one): every attempt is reported as not run.
    const why = io.signal.aborted ? abortReason(io.signal) : err;
    const message = why instanceof Error ? why.message : String(why);
    if (!io.signal.aborted) io.log.error(`no cluster: ${message}`);
    const report = notRunReport(built, why, {
      ...common,
      startedAt,
      provider: args.provider,
      clusterName: args.name,
      ...(io.signal.aborted ? {} : { unavailable: message }),
    });
    return finish(report, dir, io, deps, results);
  }
  const clusterStart = { at: startedAt, ms: clock.now() - startedAt };
  stack.use(`cluster ${cluster.name}`, cluster);
  // The provider's context (the one its guard allowed), passed explicitly, never re-read from a file.
  const { context } = cluster;
  const kube = deps.createKube(cluster.kubeconfigPath, { clock, ...(context ? { context } : {}) });
  const dataPlane = cluster.dataPlane;
  io.log.info(`run ${runId}: ${built.length} scenario(s) on ${cluster.provider} cluster ${cluster.name}`);
  const report = await runSuite(built, {
    ...common,
    kube,
    provider: cluster.provider,
    clusterName: cluster.name,
    cluster,
    clusterStart,
    ...(dataPlane ? { dataPlane } : {}),
    ...(deps.analyse ? { analyse: deps.analyse } : {}),
  });
  return finish(report, dir, io, deps, results);
}

/** Writes the reports (and metrics), logs the tally and gives the exit status (with a --baseline's verdict). */
async function finish(report: RunReport, dir: string, io: CliIO, deps: RunDeps, results: RunResults): Promise<number> {
  for (const file of await deps.writeReports(report, dir)) io.out(file);
  const count = (s: string) => report.scenarios.filter((r) => r.status === s).length;
  const skipped = count("skipped") ? `, ${count("skipped")} skipped` : "";
  io.log.info(
    `run ${report.runId} ${report.status}: ${count("passed")} passed, ${count("failed")} failed, ${count("error")} errored, ${count("aborted")} aborted${skipped}; reports in ${dir}`,
  );
  if (report.status === "skipped")
    io.log.warn(
      `run ${report.runId}: every attempt was skipped, nothing ran: the cluster lacks what the scenarios require (summary.md says what each needs)`,
    );
  return results.finish(report, exitCodeForReport(report));
}

function targetOptions(args: RunArgs, io: CliIO): Parameters<typeof describeGameDayTarget>[0] {
  return {
    env: io.env,
    cwd: io.cwd,
    allowContexts: args.allowContext ?? [],
    ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
    ...(args.context ? { context: args.context } : {}),
  };
}

/** `kubedrill run` wired to the real modules. */
export const runCommand = createRunCommand({
  check: checkScenarios,
  startCluster,
  createKube,
  describeTarget: describeGameDayTarget,
  writeReports,
  checkReportDir: assertReportDirWritable,
  analyse: (snapshot) => analyseAll(snapshot),
  version: pkg.version,
});
