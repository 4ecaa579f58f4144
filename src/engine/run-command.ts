import type { StartClusterOptions } from "../providers/index.ts";
import { join, resolve } from "node:path";
import type { Argv } from "yargs";
import type { CliCommand, CliIO } from "../cli/command.ts";
import type { ClusterSnapshot, Finding } from "../diagnose/types.ts";
import { UsageError, ValidationError, type SourceProblem } from "../errors.ts";
import type { Kube } from "../k8s/kube.ts";
import type { StartedCluster } from "../providers/provider.ts";
import type { RunReport } from "../report/types.ts";
import type { Scenario } from "../scenario/types.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import { AsyncStack } from "../util/disposable.ts";
import { newRunId } from "./ids.ts";
import { planLines } from "./plan.ts";
import { defaultRegistries } from "./registries.ts";
import { runSuite, validateAll } from "./suite.ts";

export interface RunArgs {
  paths?: string[];
  provider: string;
  name: string;
  reportDir?: string;
  repeat: number;
  parallel: number;
  dryRun: boolean;
  remediate: boolean;
  logFormat?: "text" | "json";
  kubeconfig?: string;
  context?: string;
  allowContext?: string[];
  /** Lets scenarios stop nodes of an existing cluster (--provider kubeconfig). */
  allowNodeFaults?: boolean;
}

/** What `kubedrill run` uses from other modules; injected so the command is testable. */
export interface RunDeps {
  loadScenarios(
    paths: string[],
    opts: { cwd: string },
  ): Promise<{ scenarios: Scenario[]; problems: SourceProblem[]; files: string[] }>;
  startCluster(opts: StartClusterOptions): Promise<StartedCluster>;
  createKube(kubeconfigPath: string, opts?: { context?: string; clock?: Clock }): Kube;
  writeReports(report: RunReport, dir: string): Promise<string[]>;
  analyse?: (snapshot: ClusterSnapshot) => Finding[];
  clock?: Clock;
  version?: string;
}

function whole(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new UsageError(`--${name} must be a whole number >= 1 (got ${String(v)})`);
  return v;
}

/**
 * `kubedrill run [paths..]`: loads and validates the scenarios, gets a cluster from the
 * provider, runs the suite and writes the reports. Exit status: 0 all passed, 1 any
 * failed or errored, 2 usage/validation error (thrown), 130 aborted. --log-format
 * (text|json) is the global option of src/cli/main.ts, which builds io.log with it.
 */
export function createRunCommand(deps: RunDeps): CliCommand<RunArgs> {
  return {
    command: "run [paths..]",
    describe: "Run scenarios: inject, detect, remediate, measure TTD/RTO, clean up (default: scenarios/)",
    builder: (yargs: Argv) =>
      yargs
        .positional("paths", { type: "string", array: true, describe: "Scenario files or directories" })
        .option("provider", { type: "string", default: "auto", describe: "auto, local, kind, k3s or kubeconfig" })
        .option("name", { type: "string", default: "kubedrill", describe: "Cluster name" })
        .option("report-dir", { type: "string", describe: "Where reports go (default: reports/<runId>)" })
        .option("repeat", { type: "number", default: 1, describe: "Run each scenario N times (median, p95, max)" })
        .option("parallel", { type: "number", default: 1, describe: "Run up to N scenarios side by side" })
        .option("dry-run", { type: "boolean", default: false, describe: "Print the plan; touch nothing" })
        .option("remediate", {
          type: "boolean",
          default: true,
          describe: "Run remediation steps (--no-remediate: measure RTO without them)",
        })
        .option("kubeconfig", { type: "string", describe: "Kubeconfig for --provider kubeconfig" })
        .option("context", { type: "string", describe: "Kubeconfig context" })
        .option("allow-context", { type: "string", array: true, describe: "Contexts kubedrill may break things in" })
        .option("allow-node-faults", {
          type: "boolean",
          default: false,
          describe: "Let scenarios stop nodes of an existing cluster (--provider kubeconfig)",
        }) as unknown as Argv<RunArgs>,
    run: (args, io) => runRun(args, io, deps),
  };
}

async function runRun(args: RunArgs, io: CliIO, deps: RunDeps): Promise<number> {
  const repeat = whole("repeat", args.repeat ?? 1);
  const parallel = whole("parallel", args.parallel ?? 1);
  const paths = args.paths && args.paths.length > 0 ? args.paths : ["scenarios/"];
  const { scenarios, problems } = await deps.loadScenarios(paths, { cwd: io.cwd });
  if (problems.length > 0) throw new ValidationError(problems);
  if (scenarios.length === 0) throw new UsageError(`no scenarios found in ${paths.join(", ")}`);
  const clock = deps.clock ?? systemClock;
  const runId = newRunId(clock);
  const common = {
    log: io.log,
    clock,
    runId,
    repeat,
    parallel,
    remediate: args.remediate !== false,
    signal: io.signal,
    ...(deps.version ? { version: deps.version } : {}),
  };
  if (args.dryRun) {
    await runSuite(scenarios, { ...common, dryRun: true, out: io.out });
    return 0;
  }
  // Built (and validated) before any cluster work; the plan is shown if a context is refused.
  const plan = planLines(validateAll(scenarios, runId, defaultRegistries()), { remediate: common.remediate });
  await using stack = new AsyncStack();
  const cluster = await deps.startCluster({
    provider: args.provider,
    name: args.name,
    log: io.log,
    signal: io.signal,
    runId,
    plan,
    dryRun: false, // a dry run returned above, without a cluster
    allowNodeFaults: args.allowNodeFaults === true,
    ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
    ...(args.context ? { context: args.context } : {}),
    ...(args.allowContext?.length ? { allowContexts: args.allowContext } : {}),
  });
  stack.use(`cluster ${cluster.name}`, cluster);
  const context = cluster.provider === "kubeconfig" ? args.context : undefined;
  const kube = deps.createKube(cluster.kubeconfigPath, { clock, ...(context ? { context } : {}) });
  const dataPlane = cluster.dataPlane;
  io.log.info(`run ${runId}: ${scenarios.length} scenario(s) on ${cluster.provider} cluster ${cluster.name}`);
  const report = await runSuite(scenarios, {
    ...common,
    kube,
    provider: cluster.provider,
    clusterName: cluster.name,
    cluster,
    ...(dataPlane ? { dataPlane } : {}),
    ...(deps.analyse ? { analyse: deps.analyse } : {}),
  });
  const dir = resolve(io.cwd, args.reportDir ?? join("reports", runId));
  for (const file of await deps.writeReports(report, dir)) io.out(file);
  const count = (s: string) => report.scenarios.filter((r) => r.status === s).length;
  io.log.info(
    `run ${runId} ${report.status}: ${count("passed")} passed, ${count("failed")} failed, ${count("error")} errored, ${count("aborted")} aborted; reports in ${dir}`,
  );
  return report.status === "passed" ? 0 : report.status === "aborted" ? 130 : 1;
}
