import { NotApplicableError, SafetyError, UsageError } from "../../errors.ts";
import type { Kube } from "../../k8s/kube.ts";
import type { Clock } from "../../util/clock.ts";
import type { Logger } from "../../util/log.ts";
import { stopContainers } from "../shared/docker-nodes.ts";
import { findOnPath, type ProcessRunner } from "../../util/process.ts";
import type { ProviderActions } from "../provider.ts";
import { deleteDiskFillers, startDiskFiller, type FillDiskSettings } from "../shared/filler-pod.ts";

export interface ForeignActionsOptions {
  kube: Kube;
  context: string;
  runId: string;
  log: Logger;
  allowNodeFaults: boolean;
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  fillDisk?: FillDiskSettings;
}

/** `kind://docker/<cluster>/<node>`: the provider-id kind gives its kubelets. */
const KIND_PROVIDER_ID = /^kind:\/\/(docker|podman|nerdctl)\/([^/]+)\/(.+)$/;

/**
 * Fault actions on a cluster kubedrill did not create. Stopping nodes is refused unless
 * allowed, and even then works only for kind nodes (whose containers the local runtime
 * controls). Disks fill with the bounded filler pod; "image GC" deletes the filler.
 */
export function foreignActions(opts: ForeignActionsOptions): ProviderActions {
  const { kube, log } = opts;
  const getNode = async (name: string, action: string) => {
    const node = await kube.get({ apiVersion: "v1", kind: "Node", name });
    if (!node) throw new UsageError(`${action}: node "${name}" does not exist in context "${opts.context}"`);
    return node;
  };
  return {
    async stopNodes(nodeNames) {
      if (!opts.allowNodeFaults) {
        throw new SafetyError(
          `refusing to stop node${nodeNames.length === 1 ? "" : "s"} ${nodeNames.join(", ")} in context "${opts.context}": a game day on an existing cluster does not stop nodes unless node faults are allowed (allowNodeFaults, --allow-node-faults). Otherwise limit the run to namespaced faults.`,
        );
      }
      if (nodeNames.length === 0) throw new UsageError("stopNodes: no node names given");
      let binary: string | undefined;
      for (const name of nodeNames) {
        const providerID = String((await getNode(name, "stopNodes")).spec?.providerID ?? "");
        const m = KIND_PROVIDER_ID.exec(providerID);
        if (!m || m[3] !== name) {
          throw new NotApplicableError(
            `stopNodes: node "${name}" is not a kind node (providerID "${providerID || "none"}"); on an existing cluster kubedrill can only stop kind nodes, through their containers`,
          );
        }
        binary = m[1]!;
      }
      if (!(await findOnPath(binary!, opts.env)))
        throw new NotApplicableError(`stopNodes: the nodes are ${binary} containers but ${binary} is not on PATH`);
      return stopContainers(opts.run, nodeNames, { binary, log });
    },
    async fillDisk(nodeName) {
      await getNode(nodeName, "fillDisk");
      return startDiskFiller({
        maxBytes: 16 * 1024 ** 3,
        ...opts.fillDisk,
        kube,
        nodeName,
        runId: opts.runId,
        clock: opts.clock,
        log,
      });
    },
    async collectImageGarbage(nodeName) {
      await getNode(nodeName, "collectImageGarbage");
      const n = await deleteDiskFillers(kube, nodeName, { runId: opts.runId });
      log.info(`freed the disk of node ${nodeName}: deleted ${n} filler pod${n === 1 ? "" : "s"}`, { node: nodeName });
    },
  };
}
