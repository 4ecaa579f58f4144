import type { Argv } from "yargs";
import { UsageError, withContext } from "../../errors.ts";
import { createKube } from "../../k8s/client.ts";
import type { Kube } from "../../k8s/kube.ts";
import { sweepStale, type SweepResult } from "../../engine/sweep.ts";
import {
  reconnectAllNodes,
  repairModelledFaults,
  restoreStoppedNodes,
  resumeAllNodes,
  unblockAllRegistries,
} from "../../providers/local/actions.ts";
import { restoreClusterDNS } from "../../providers/shared/cluster-dns.ts";
import { liveRuns } from "../../providers/local/index.ts";
import { localState } from "../../providers/local/launcher.ts";
import { DEFAULT_CLUSTER_NAME } from "../../providers/index.ts";
import { kubeconfigPath } from "../../providers/shared/resolve-kubeconfig.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { exitCodeForCheck } from "../exit.ts";

interface CleanupArgs {
  runId?: string;
  name: string;
  kubeconfig?: string;
  context?: string;
}

/**
 * `kubedrill cleanup [--run-id ID]`: repairs now what runs that died (SIGKILL, a crash, a
 * lost machine) left behind, instead of waiting for the next run's start-up sweep. The
 * same rules as that sweep (src/engine/sweep.ts): only runs whose heartbeat Lease is
 * there and dead, only what kubedrill created or recorded. On the local cluster it also
 * resumes stopped nodes and frees filled disks when no other run is active.
 * Exit 0 when nothing is left to repair, 1 when something could not be repaired.
 */
export const cleanupCommand: CliCommand<CleanupArgs> = {
  builder: (y: Argv) =>
    y
      .option("run-id", { type: "string", describe: "Only this run (refused while it is still running)" })
      .option("name", {
        type: "string",
        default: DEFAULT_CLUSTER_NAME,
        describe: "Local cluster name (used when no --kubeconfig or --context is given)",
      })
      .option("kubeconfig", { type: "string", describe: "Kubeconfig of an existing cluster" })
      .option("context", { type: "string", describe: "Kubeconfig context" }) as unknown as Argv<CleanupArgs>,
  async run(args, io) {
    if (args.runId !== undefined && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(args.runId))
      throw new UsageError(`--run-id ${JSON.stringify(args.runId)} is not a run id (like 20260101-120000-k3x9)`);
    const local = args.kubeconfig || args.context ? undefined : await localState(args.name, io.env);
    if (!local && !args.kubeconfig && !args.context)
      throw new UsageError(
        `no local cluster named "${args.name}" is running; for another cluster pass --kubeconfig and/or --context`,
      );
    const path = local?.kubeconfig ?? kubeconfigPath({ kubeconfig: args.kubeconfig, env: io.env, cwd: io.cwd }).path;
    const kube = createKube(path, args.context ? { context: args.context } : undefined);
    io.log.info(
      `cleanup: ${local ? `local cluster "${args.name}"` : `${path}${args.context ? ` (context ${args.context})` : ""}`}`,
    );
    const result = await sweepStale(kube, io.log, args.runId ? { runId: args.runId } : {}).catch((err: unknown) => {
      throw withContext("cleanup", err);
    });
    const nodes = local ? await repairLocal(local, kube, io) : [];
    io.out(summary(result, nodes));
    return exitCodeForCheck(result.failed.length === 0);
  },
};

async function repairLocal(state: NonNullable<Awaited<ReturnType<typeof localState>>>, kube: Kube, io: CliIO) {
  const others = await liveRuns(kube);
  if (others.length > 0) {
    io.log.info(`other runs are active (${others.join(", ")}): their stopped nodes and full disks are theirs to undo`);
    return [];
  }
  const resumed = [
    ...resumeAllNodes(state).map((n) => `resumed ${n}`),
    ...(await restoreStoppedNodes(state, kube)).map((n) => `resumed node ${n}`),
    ...(await reconnectAllNodes(state)).map((n) => `reconnected node ${n}`),
    ...(await unblockAllRegistries(state)).map((n) => `unblocked node ${n}'s path to the registry`),
    ...(await restoreClusterDNS(kube)).map((d) => `restarted the cluster DNS ${d}`),
  ];
  const freed = (await repairModelledFaults(state, kube)).map((n) => `freed the disk of node ${n}`);
  return [...resumed, ...freed];
}

function summary(r: SweepResult, nodes: string[]): string {
  const lines = [
    ...r.deleted.map((x) => `deleted   ${x}`),
    ...r.restored.map((x) => `restored  ${x}`),
    ...nodes.map((x) => `repaired  ${x}`),
    ...r.failed.map((x) => `FAILED    ${x}`),
    ...r.ignored.map((x) => `ignored   ${x}`),
  ];
  const counts = `${r.deleted.length} deleted, ${r.restored.length} restored, ${nodes.length} node repairs, ${r.failed.length} failed, ${r.ignored.length} ignored`;
  return lines.length > 0 ? `${lines.join("\n")}\n${counts}` : "nothing to clean up";
}
