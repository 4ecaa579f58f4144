import { existsSync } from "node:fs";
import type { Argv } from "yargs";
import { UsageError, withContext } from "../../errors.ts";
import { createKube } from "../../k8s/client.ts";
import type { KubeFactory } from "../../providers/shared/kube-factory.ts";
import { kubeconfigPath } from "../../providers/shared/resolve-kubeconfig.ts";
import { analyseAll } from "../../diagnose/index.ts";
import { collectSnapshot } from "../../diagnose/collect.ts";
import { countBySeverity, formatFindingsText } from "../../diagnose/format.ts";
import type { Severity } from "../../diagnose/types.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { exitCodeForCheck } from "../exit.ts";

/**
 * `kubedrill diagnose`: read-only. Snapshots the cluster (all namespaces unless
 * --namespace), runs every analyser and prints the findings. Exit 0 when no finding is at
 * or above --fail-on (default warning: info findings alone exit 0), 1 when one is, 2 for a
 * usage error, 4 when the cluster cannot be reached (src/cli/exit.ts).
 */
export interface DiagnoseArgs {
  namespace?: string;
  allNamespaces?: boolean;
  output: "text" | "json";
  kubeconfig?: string;
  context?: string;
  serviceCidr?: string;
  podCidr?: string;
  /** The least severity that makes the exit status 1 (default warning). */
  failOn?: Severity;
}

/** Severities from the most to the least severe. */
const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

/** Whether any finding is at least as severe as `failOn`. */
export function failsAt(counts: Record<Severity, number>, failOn: Severity): boolean {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1).some((s) => counts[s] > 0);
}

const defaultKube: KubeFactory = (path, opts) => {
  if (!existsSync(path)) throw new UsageError(`kubeconfig ${path} does not exist (set --kubeconfig or $KUBECONFIG)`);
  try {
    return createKube(path, opts);
  } catch (err) {
    throw withContext(`loading kubeconfig ${path}${opts?.context ? ` (context ${opts.context})` : ""}`, err);
  }
};

export function makeDiagnoseCommand(makeKube: KubeFactory = defaultKube): CliCommand<DiagnoseArgs> {
  return {
    builder: (y: Argv) =>
      y
        .option("namespace", {
          alias: "n",
          type: "string",
          describe: "Only this namespace (cluster-scoped objects are always read)",
        })
        .option("all-namespaces", { alias: "A", type: "boolean", describe: "All namespaces (the default)" })
        .conflicts("namespace", "all-namespaces")
        .option("output", {
          alias: "o",
          choices: ["text", "json"] as const,
          default: "text" as const,
          describe: "Output format",
        })
        .option("kubeconfig", {
          type: "string",
          describe: "Kubeconfig path (default: $KUBECONFIG, then ~/.kube/config)",
        })
        .option("context", { type: "string", describe: "Kubeconfig context" })
        .option("service-cidr", { type: "string", describe: "Service CIDR, when it cannot be discovered" })
        .option("pod-cidr", {
          type: "string",
          describe: "Cluster pod CIDR, when it cannot be discovered",
        })
        .option("fail-on", {
          choices: SEVERITIES,
          default: "warning" as const,
          describe: "Exit 1 only for findings of this severity or worse (critical, warning, info)",
        }) as unknown as Argv<DiagnoseArgs>,
    async run(args: DiagnoseArgs, io: CliIO): Promise<number> {
      if (args.namespace !== undefined && args.allNamespaces)
        throw new UsageError("--namespace and --all-namespaces cannot be used together");
      if (args.namespace === "") throw new UsageError("--namespace needs a value");
      const failOn = args.failOn ?? "warning";
      if (!SEVERITIES.includes(failOn))
        throw new UsageError(`--fail-on ${String(failOn)}: expected one of ${SEVERITIES.join(", ")}`);
      const { path } = kubeconfigPath({ kubeconfig: args.kubeconfig, env: io.env, cwd: io.cwd });
      const kube = makeKube(path, args.context ? { context: args.context } : undefined);
      io.log.debug(
        `diagnose: reading the cluster from ${path}${args.namespace ? `, namespace ${args.namespace}` : ""}`,
      );
      const network = {
        ...(args.serviceCidr ? { serviceCIDR: args.serviceCidr } : {}),
        ...(args.podCidr ? { podCIDR: args.podCidr } : {}),
      };
      const snapshot = await collectSnapshot(kube, {
        ...(args.namespace ? { namespace: args.namespace } : {}),
        network,
      }).catch((err: unknown) => {
        throw withContext("reading the cluster", err);
      });
      const findings = analyseAll(snapshot, (err) => io.log.warn(err.message));
      const counts = countBySeverity(findings);
      if (args.output === "json")
        io.out(
          JSON.stringify({ namespace: args.namespace ?? null, network: snapshot.network, counts, findings }, null, 2),
        );
      else io.out(formatFindingsText(findings));
      return exitCodeForCheck(!failsAt(counts, failOn));
    },
  };
}

export const diagnoseCommand: CliCommand<DiagnoseArgs> = makeDiagnoseCommand();
