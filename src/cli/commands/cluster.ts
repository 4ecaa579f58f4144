import type { Argv } from "yargs";
import type { CliCommand } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { formatMs } from "../../util/duration.ts";
import { upLocal, downLocal, localState, apiServerAnswers, describeNodes } from "../../providers/local/launcher.ts";
import { checkWorkersOption, workersOption } from "./run-options.ts";
import { deadProcesses } from "../../providers/local/state.ts";
import { createKube } from "../../k8s/client.ts";
import { realNodeSupport } from "../../providers/local/nodes/support.ts";
import { DEFAULT_CLUSTER_NAME } from "../../providers/index.ts";
import { EXIT, exitCodeForCheck } from "../exit.ts";

interface ClusterArgs {
  action: "up" | "down" | "status" | "kubeconfig";
  provider: string;
  name: string;
  nodes: "kwok" | "real" | "auto";
  workers?: number;
}

/**
 * `kubedrill cluster up|down|status|kubeconfig [--provider local] [--name NAME]`:
 * manage the embedded local cluster. `kubeconfig` prints only the file's path, so that
 * `kubectl --kubeconfig "$(npx kubedrill cluster kubeconfig)" get nodes` works.
 */
export const clusterCommand: CliCommand<ClusterArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional("action", { choices: ["up", "down", "status", "kubeconfig"] as const, demandOption: true })
      .option("provider", {
        type: "string",
        default: "local",
        describe: "only the local provider is managed here; kind clusters are managed by `kind`",
      })
      .option("name", {
        type: "string",
        default: DEFAULT_CLUSTER_NAME,
        describe: "cluster name (several can run side by side)",
      })
      .option("nodes", {
        choices: ["auto", "real", "kwok"] as const,
        default: "auto" as const,
        describe:
          "real: real kubelets, containerd and pod networking (root, Linux, containerd, runc, CNI plugins, nftables, nginx); kwok: simulated kubelets; auto: real where the host supports it, else kwok",
      })
      .option("workers", workersOption) as unknown as Argv<ClusterArgs>,
  async run(args, io) {
    if (args.provider !== "local")
      throw new UsageError(
        `--provider ${args.provider}: \`kubedrill cluster\` manages only the local provider (use kind's own commands for kind clusters)`,
      );
    if (args.workers !== undefined && args.action !== "up")
      throw new UsageError(`--workers is for \`cluster up\` (a running cluster's state says how many nodes it has)`);
    switch (args.action) {
      case "up": {
        const workers = checkWorkersOption(args);
        if (args.nodes === "real") {
          const support = realNodeSupport();
          if (!support.ok) throw new UsageError(`--nodes real: ${support.reason}`);
        }
        const { state, reused, elapsedMs } = await upLocal({
          name: args.name,
          log: io.log,
          signal: io.signal,
          env: io.env,
          nodes: args.nodes,
          ...(workers !== undefined ? { workers } : {}),
        });
        io.log.info(
          `${reused ? "reused" : "started"} local cluster "${args.name}" in ${formatMs(elapsedMs)}; API server ${state.apiServer}`,
        );
        io.log.info(`kubectl --kubeconfig ${state.kubeconfig} get nodes`);
        return EXIT.ok;
      }
      case "down": {
        const existed = await downLocal(args.name, io.env);
        io.log.info(
          existed
            ? `local cluster "${args.name}" stopped and removed`
            : `no local cluster named "${args.name}" was running`,
        );
        return EXIT.ok;
      }
      case "kubeconfig": {
        const state = await localState(args.name, io.env);
        if (!state)
          throw new UsageError(
            `no local cluster named "${args.name}": start one with \`npx kubedrill cluster up --name ${args.name}\``,
          );
        io.out(state.kubeconfig);
        return EXIT.ok;
      }
      case "status": {
        const state = await localState(args.name, io.env);
        if (!state) {
          io.out(`local cluster "${args.name}": not running`);
          return EXIT.failed;
        }
        const dead = deadProcesses(state);
        const answers = await apiServerAnswers(state.kubeconfig);
        io.out(`local cluster "${args.name}": ${dead.length === 0 && answers ? "running" : "broken"}`);
        io.out(`  kubernetes ${state.kubernetesVersion}, API server ${state.apiServer}, since ${state.createdAt}`);
        io.out(`  kubeconfig ${state.kubeconfig}`);
        io.out(`  ${describeNodes(state)}`);
        for (const p of state.processes)
          io.out(`  ${dead.includes(p) ? "DEAD   " : "running"} ${p.name} (pid ${p.pid})`);
        if (answers) {
          const { items } = await createKube(state.kubeconfig).list({ apiVersion: "v1", kind: "Node" });
          const ready = items.filter((n) =>
            (n.status?.conditions ?? []).some(
              (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
            ),
          );
          io.out(`  nodes: ${ready.length}/${items.length} Ready`);
        }
        return exitCodeForCheck(dead.length === 0 && answers);
      }
    }
  },
};
