import { existsSync } from "node:fs";
import type { Argv } from "yargs";
import { UsageError, withContext } from "../../errors.ts";
import { createKube } from "../../k8s/client.ts";
import type { KubeFactory } from "../../providers/shared/kube-factory.ts";
import { kubeconfigPath } from "../../providers/shared/resolve-kubeconfig.ts";
import { analyseAll } from "../../diagnose/index.ts";
import { collectSnapshot } from "../../diagnose/collect.ts";
import { countBySeverity, formatFindingsText } from "../../diagnose/format.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { exitCodeForCheck } from "../exit.ts";

/**
 * `kubedrill diagnose`: read-only. Snapshots the cluster (all namespaces unless
 * --namespace), runs every analyser and prints the findings. Exit 0 when clean (or only
 * info findings), 1 when any finding is critical or warning.
 */
export interface DiagnoseArgs {
  namespace?: string;
  allNamespaces?: boolean;
  output: "text" | "json";
  kubeconfig?: string;
  context?: string;
  serviceCidr?: string;
  podCidr?: string;
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
        }) as unknown as Argv<DiagnoseArgs>,
    async run(args: DiagnoseArgs, io: CliIO): Promise<number> {
      if (args.namespace !== undefined && args.allNamespaces)
        throw new UsageError("--namespace and --all-namespaces cannot be used together");
      if (args.namespace === "") throw new UsageError("--namespace needs a value");
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
      return exitCodeForCheck(counts.critical + counts.warning === 0);
    },
  };
}

export const diagnoseCommand: CliCommand<DiagnoseArgs> = makeDiagnoseCommand();
