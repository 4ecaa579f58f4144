import pkg from "../../package.json" with { type: "json" };
import { UsageError, ValidationError } from "../errors.ts";
import { runSuite } from "../engine/suite.ts";
import { analyseAll } from "../diagnose/index.ts";
import { createKube } from "../k8s/client.ts";
import { DEFAULT_CLUSTER_NAME, startCluster } from "../providers/index.ts";
import type { NodeMode } from "../providers/local/launcher.ts";
import type { RunReport } from "../report/types.ts";
import { AsyncStack } from "../util/disposable.ts";
import { newRunId } from "../util/ids.ts";
import { systemClock } from "../util/clock.ts";
import { check, quietLogger, type ScenarioOptions } from "./scenarios.ts";

export interface RunOptions extends ScenarioOptions {
  /** auto (default), local, kind, k3s, or kubeconfig (an existing cluster: a game day). */
  provider?: "auto" | "local" | "kind" | "k3s" | "kubeconfig";
  /** The cluster's name (default "kubedrill"). */
  clusterName?: string;
  /** The local provider's nodes: real, kwok, or auto (default). */
  nodes?: NodeMode;
  kubeconfig?: string;
  context?: string;
  /** Contexts a destructive run may use (`--allow-context`; NAME or NAME@SERVER). */
  allowContexts?: readonly string[];
  /** Lets a game day stop nodes of an existing cluster. */
  allowNodeFaults?: boolean;
  /** Each scenario this many times (default 1). */
  repeat?: number;
  /** At most this many attempts side by side (default 1). */
  parallel?: number;
  /** Run the scenarios' remediate steps (default true). */
  remediate?: boolean;
  /** Aborting it stops the run; every fault is reverted before the promise settles. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Checks the scenarios (throws a ValidationError before any cluster work), then the plan of each, as `run --dry-run` prints it. */
export async function planScenarios(namesOrPaths: readonly string[] = [], o: ScenarioOptions = {}): Promise<string> {
  const checked = await check(namesOrPaths, o);
  if (checked.problems.length > 0) throw new ValidationError(checked.problems);
  const out: string[] = [];
  await runSuite(checked.built, {
    log: o.log ?? quietLogger(),
    dryRun: true,
    out: (t) => void out.push(t),
    registries: checked.registries,
    sources: checked.sources,
  });
  return out.join("\n");
}

/**
 * Runs scenarios as `kubedrill run` does: checks them all first (a ValidationError before
 * any cluster work), gets a cluster from the provider, runs the suite, stops the cluster
 * and returns the report (render it with writeReports). A cluster that cannot be had
 * throws (NotApplicableError, ClusterError); a scenario that fails or errors is in the
 * report, as its status.
 */
export async function runScenarios(namesOrPaths: readonly string[] = [], o: RunOptions = {}): Promise<RunReport> {
  const clock = systemClock;
  const log = o.log ?? quietLogger();
  const runId = newRunId(clock);
  const checked = await check(namesOrPaths, { ...o, log, runId });
  if (checked.problems.length > 0) throw new ValidationError(checked.problems);
  if (checked.built.length === 0)
    throw new UsageError(`no scenarios found in ${checked.files.join(", ") || "the paths given"}`);
  const provider = o.provider ?? "auto";
  const name = o.clusterName ?? DEFAULT_CLUSTER_NAME;
  await using stack = new AsyncStack();
  const clusterAt = clock.now();
  const cluster = await startCluster({
    provider,
    name,
    log,
    runId,
    nodes: o.nodes ?? "auto",
    allowNodeFaults: o.allowNodeFaults === true,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.env ? { env: o.env } : {}),
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(o.context ? { context: o.context } : {}),
    ...(o.allowContexts?.length ? { allowContexts: [...o.allowContexts] } : {}),
  });
  const clusterStart = { at: clusterAt, ms: clock.now() - clusterAt };
  stack.use(`cluster ${cluster.name}`, cluster);
  const kube = createKube(cluster.kubeconfigPath, { clock, ...(cluster.context ? { context: cluster.context } : {}) });
  return runSuite(checked.built, {
    log,
    clock,
    runId,
    repeat: o.repeat ?? 1,
    parallel: o.parallel ?? 1,
    remediate: o.remediate !== false,
    registries: checked.registries,
    sources: checked.sources,
    version: pkg.version,
    kube,
    provider: cluster.provider,
    clusterName: cluster.name,
    cluster,
    clusterStart,
    analyse: (snapshot) => analyseAll(snapshot),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(cluster.dataPlane ? { dataPlane: cluster.dataPlane } : {}),
  });
}

/** One scenario (a file or a name); the report holds its attempts. */
export const runScenario = (nameOrPath: string, o: RunOptions = {}): Promise<RunReport> =>
  runScenarios([nameOrPath], o);
