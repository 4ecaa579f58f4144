import { ClusterError, UsageError } from "../../errors.ts";
import type { Kube } from "../../k8s/kube.ts";
import type { Clock } from "../../util/clock.ts";
import type { Logger } from "../../util/log.ts";
import { startDiskFiller, type FillDiskSettings } from "../shared/filler-pod.ts";
import type { ProviderActions } from "../provider.ts";
import { stopContainers } from "../shared/docker-nodes.ts";
import { clusterDNSActions } from "../shared/cluster-dns.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";
import { blockNodes, unblockNodes, type RegistryEndpoint } from "./registry-block.ts";

interface KindActionsOptions {
  run: ProcessRunner;
  clusterName: string;
  kube: Kube;
  runId: string;
  log: Logger;
  clock?: Clock;
  fillDisk?: FillDiskSettings;
  /** kubedrill's registry containers on the kind network, when they run: blockRegistry cuts the nodes' path to them. */
  registries?: RegistryEndpoint[];
}

/** The node containers of a kind cluster (`kind get nodes`): the names its Nodes carry too. */
export async function kindNodes(run: ProcessRunner, clusterName: string): Promise<string[]> {
  const r = await run(["kind", "get", "nodes", "--name", clusterName], { timeoutMs: 30_000 });
  if (r.exitCode !== 0)
    throw new ClusterError(`listing the nodes of kind cluster "${clusterName}": ${describeFailure(r, 30_000)}`);
  return r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Fault actions on a kind cluster. A kind node is a container named after the node
 * (`<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, ...), so node
 * faults are container operations. Every name is checked against `kind get nodes`
 * first: kubedrill never stops a container that is not a node of its own cluster.
 */
export function kindActions(opts: KindActionsOptions): ProviderActions {
  const { run, clusterName, log } = opts;

  const clusterNodes = () => kindNodes(run, clusterName);

  const checkNodes = async (names: string[], action: string): Promise<void> => {
    if (names.length === 0) throw new UsageError(`${action}: no node names given`);
    const known = await clusterNodes();
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new UsageError(
        `${action}: ${unknown.map((n) => `"${n}"`).join(", ")} ${unknown.length === 1 ? "is not a node" : "are not nodes"} of kind cluster "${clusterName}" (its nodes: ${known.join(", ") || "none"})`,
      );
    }
  };

  return {
    // kind installs CoreDNS as kubeadm does (Deployment kube-system/coredns, k8s-app=kube-dns)
    ...clusterDNSActions(opts.kube),
    async stopNodes(nodeNames) {
      await checkNodes(nodeNames, "stopNodes");
      return stopContainers(run, nodeNames, { log });
    },
    async fillDisk(nodeName) {
      await checkNodes([nodeName], "fillDisk");
      return startDiskFiller({
        ...opts.fillDisk,
        kube: opts.kube,
        nodeName,
        runId: opts.runId,
        clock: opts.clock,
        log,
      });
    },
    async collectImageGarbage(nodeName) {
      await checkNodes([nodeName], "collectImageGarbage");
      const r = await run(["docker", "exec", nodeName, "crictl", "rmi", "--prune"], { timeoutMs: 120_000 });
      if (r.exitCode !== 0)
        throw new ClusterError(`pruning unused images on node ${nodeName}: ${describeFailure(r, 120_000)}`);
      const removed = r.stdout.split("\n").filter((l) => /^Deleted:/i.test(l.trim())).length;
      log.info(`pruned ${removed} unused image${removed === 1 ? "" : "s"} on node ${nodeName}`, { node: nodeName });
    },
    // only where kubedrill runs the registries: there is nothing of ours to cut the nodes off from otherwise
    ...(opts.registries && opts.registries.length > 0
      ? {
          async blockRegistry(nodeNames: string[]) {
            await checkNodes(nodeNames, "blockRegistry");
            return blockNodes({ run, log }, nodeNames, opts.registries!);
          },
          async unblockRegistry(nodeNames: string[]) {
            await checkNodes(nodeNames, "unblockRegistry");
            await unblockNodes({ run, log }, nodeNames);
          },
        }
      : {}),
  };
}
