import type { Argv } from "yargs";
import { UsageError } from "../../errors.ts";
import { checkScaleOptions, MAX_WORKERS } from "../../providers/local/topology.ts";

export interface RunArgs {
  paths?: string[];
  provider: string;
  name: string;
  reportDir?: string;
  repeat: number;
  parallel: number;
  dryRun: boolean;
  /** Check read-only against the cluster instead of running (src/cli/commands/preflight.ts). */
  preflight?: boolean;
  remediate: boolean;
  logFormat?: "text" | "json";
  kubeconfig?: string;
  context?: string;
  allowContext?: string[];
  /** Lets scenarios stop nodes of an existing cluster (--provider kubeconfig). */
  allowNodeFaults?: boolean;
  /** The local cluster's nodes. */
  nodes?: "kwok" | "real" | "auto";
  /** The local cluster's scale mode: this many kwok nodes (src/providers/local/topology.ts). */
  workers?: number;
  /** Scenario variables: --set name=value and --values FILE (src/pipeline/values.ts). */
  set?: string[];
  values?: string[];
  /** Only scenarios carrying one of these tags (--tag, repeatable). */
  tag?: string[];
  /** A report.json (or its folder): only the scenarios that failed or errored in it. */
  rerunFailed?: string;
  /** Results as metrics and history (src/cli/commands/run-results.ts). */
  metricsFile?: string;
  pushgateway?: string;
  baseline?: string;
  maxRtoRegression?: string;
}

/** --set and --values, shared by `run` and `validate`. */
export function variableOptions<T>(yargs: Argv<T>): Argv<T> {
  return yargs
    .option("set", {
      type: "string",
      coerce: repeatable,
      describe: "Set a scenario variable (spec.variables): --set name=value, repeatable; wins over --values",
    })
    .option("values", {
      type: "string",
      coerce: repeatable,
      describe: "A YAML file of scenario variables (name: value), repeatable; a later file wins",
    }) as unknown as Argv<T>;
}

/** One value per flag, the flag repeatable (not `array`, which would swallow the paths that follow). */
function repeatable(v: unknown): string[] {
  return ([] as unknown[]).concat(v).map(String);
}

/** The options of `kubedrill run`. */
export function runOptions(yargs: Argv): Argv<RunArgs> {
  return variableOptions(yargs)
    .positional("paths", { type: "string", array: true, describe: "Scenario files or directories" })
    .option("provider", { type: "string", default: "auto", describe: "auto, local, kind, k3s or kubeconfig" })
    .option("name", { type: "string", default: "kubedrill", describe: "Cluster name" })
    .option("nodes", {
      choices: ["auto", "real", "kwok"] as const,
      default: "auto" as const,
      describe:
        "Local cluster nodes: real (kubelet, containerd, pod networking), kwok (simulated), auto (a running cluster as it is, else real where the host supports it)",
    })
    .option("workers", workersOption)
    .option("report-dir", { type: "string", describe: "Where reports go (default: reports/<runId>)" })
    .option("repeat", { type: "number", default: 1, describe: "Run each scenario N times (median, p95, max)" })
    .option("parallel", { type: "number", default: 1, describe: "Run up to N scenarios side by side" })
    .option("dry-run", { type: "boolean", default: false, describe: "Print the plan; touch nothing" })
    .option("preflight", {
      type: "boolean",
      default: false,
      describe: "Check read-only whether the run could work on the cluster (as `kubedrill preflight`); run nothing",
    })
    .option("remediate", {
      type: "boolean",
      default: true,
      describe: "Run remediation steps (--no-remediate: measure RTO without them)",
    })
    .option("kubeconfig", { type: "string", describe: "Kubeconfig for --provider kubeconfig" })
    .option("context", { type: "string", describe: "Kubeconfig context" })
    .option("allow-context", {
      type: "string",
      array: true,
      describe: "Contexts kubedrill may break things in: NAME, or NAME@SERVER to bind it to the API server",
    })
    .option("tag", {
      type: "string",
      array: true,
      describe: "Only scenarios carrying this tag (repeatable: any of them)",
    })
    .option("rerun-failed", {
      type: "string",
      describe: "A report.json or report folder: rerun only the scenarios that failed or errored in it",
    })
    .option("metrics-file", {
      type: "string",
      describe: "Also write TTD, RTO, RPO and verdicts as OpenMetrics text to this file",
    })
    .option("pushgateway", {
      type: "string",
      describe:
        "Push the metrics to this Prometheus Pushgateway (group /metrics/job/kubedrill unless the URL names one)",
    })
    .option("baseline", {
      type: "string",
      describe: "A report.json or report folder to compare with; exit 1 when the RTO regressed beyond the margin",
    })
    .option("max-rto-regression", {
      type: "string",
      describe: "With --baseline: how much slower a scenario's median RTO may be (default 20%)",
    })
    .option("allow-node-faults", {
      type: "boolean",
      default: false,
      describe: "Let scenarios stop nodes of an existing cluster (--provider kubeconfig)",
    }) as unknown as Argv<RunArgs>;
}

/** --workers, shared by `run` and `cluster up`. */
export const workersOption = {
  type: "number",
  describe: `Local cluster with kwok nodes: this many nodes (1-${MAX_WORKERS}) over the three zones, one kwok process per zone (default: the six nodes of the default topology, a kwok process each)`,
} as const;

/**
 * --workers checked before any cluster work: a whole number the pod range can hold, and
 * kwok nodes only (`--nodes auto` then means kwok). Returns the count, or undefined.
 */
export function checkWorkersOption(args: { workers?: unknown; nodes?: string }): number | undefined {
  if (args.workers === undefined) return undefined;
  const n = whole("workers", args.workers);
  checkScaleOptions({ workers: n, ...(args.nodes ? { nodes: args.nodes } : {}) });
  return n;
}

export function whole(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new UsageError(`--${name} must be a whole number >= 1 (got ${String(v)})`);
  return v;
}
