import { readFileSync } from "node:fs";
import path from "node:path";
import type { Kube } from "../../k8s/kube.ts";
import type { KObject } from "../../k8s/types.ts";
import { ClusterError } from "../../errors.ts";
import { revertible } from "../../sdk/revertible.ts";
import { fieldOwners } from "../../k8s/managed-fields.ts";
import { conditionField, MODEL_FIELD_MANAGER } from "../../sdk/provenance.ts";
import type { ProviderActions } from "../provider.ts";
import { isOurs, signalGroup, type ProcessRecord } from "./processes.ts";
import type { LocalClusterState } from "./state.ts";
import { fillNodeDisk, freeNodeDisk } from "./nodes/disk.ts";
import { inNs } from "./nodes/exec.ts";
import * as topo from "./topology.ts";
import { kwokGroups, planStop, summarise, type KwokGroup } from "./kwok-groups.ts";
import { API_CONCURRENCY, settleLimited } from "../../util/limit.ts";
import { clusterDNSActions } from "../shared/cluster-dns.ts";

const STAGE = { apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "Stage" };
const POD_START = "kubedrill-pod-start";
const noSpaceStage = (node: string) => `kubedrill-image-pull-no-space-${node}`;

/** The node whose kubelet a real node's process is (`NODE-kubelet`). */
function realKubeletNode(processName: string): string | undefined {
  return processName.endsWith("-kubelet") ? processName.slice(0, -"-kubelet".length) : undefined;
}

/** How the actions touch processes; replaced by fakes in tests. */
export interface ProcessControl {
  signal(pid: number, sig: NodeJS.Signals): void;
  running(p: ProcessRecord): boolean;
}

const realProcesses: ProcessControl = { signal: signalGroup, running: isOurs };

/** Sets the kwok group label of `nodes` (scale mode): out of their process's selection, or back into it. */
async function setKwokGroup(kube: Kube, nodes: string[], group: string): Promise<void> {
  const results = await settleLimited(nodes, API_CONCURRENCY, (name) =>
    kube.patch(
      { apiVersion: "v1", kind: "Node", name },
      { metadata: { labels: { [topo.KWOK_GROUP_LABEL]: group } } },
      "merge",
    ),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * Fault actions of the embedded cluster.
 * - stopNodes on real nodes cuts the nodes off the network (their link into the cluster's
 *   router goes down), as a zone outage does: the kubelets cannot renew their Leases, their
 *   pods stop answering, and the real node-lifecycle controller does the rest. On kwok
 *   nodes it pauses the node's kwok process (SIGSTOP), so its Lease stops being renewed.
 *   In scale mode (one kwok process per zone) a process is paused when all its nodes stop
 *   (a zone outage); nodes stopped without the rest of their zone get a KWOK_GROUP_LABEL
 *   no process selects, so their process lets them go. The label is the record a crashed
 *   run leaves: restoreStoppedNodes puts it back.
 * - fillDisk on a real node fills its own disk (src/providers/local/nodes/disk.ts) to the
 *   last block and keeps it full (the kubelet's own garbage collection frees some space
 *   under pressure); collectImageGarbage stops the writer and frees it. On a kwok node it
 *   is a model of the kubelet on a full disk: the node reports DiskPressure=True (patched as
 *   field manager MODEL_FIELD_MANAGER), and pods placed on it are refused at admission ("The
 *   node had condition: [DiskPressure]", a kwok stage), as a real kubelet refuses them. Both
 *   writers are models, so what they wrote is simulated evidence (src/sdk/provenance.ts). The
 *   disk-pressure taint and the scheduling failures that follow are the real controllers'.
 */
export function localActions(
  state: LocalClusterState,
  kube: Kube,
  procs: ProcessControl = realProcesses,
): ProviderActions {
  const real = state.nodes === "real";
  const groups = real ? [] : kwokGroups(state.workers);
  /** A kwok process of this cluster, running. */
  const kwokProcess = (g: KwokGroup) => {
    const p = state.processes.find((x) => x.name === g.process);
    const what = g.label ? `zone ${g.label}'s ${g.nodes.length} nodes` : `node "${g.nodes[0]}"`;
    if (!p || !procs.running(p))
      throw new ClusterError(
        `the simulated kubelet of ${what} (${g.process}${p ? `, pid ${p.pid}` : ""}) is not running`,
      );
    return p;
  };
  const kubeletOf = (node: string) => {
    if (!real) return kwokProcess(planGroup(node));
    const p = state.processes.find((x) => realKubeletNode(x.name) === node);
    if (!p)
      throw new ClusterError(
        `node "${node}" is not a node of local cluster "${state.name}" (nodes: ${state.processes
          .map((x) => realKubeletNode(x.name))
          .filter(Boolean)
          .join(", ")})`,
      );
    if (!procs.running(p)) throw new ClusterError(`the kubelet of node "${node}" (pid ${p.pid}) is not running`);
    return p;
  };
  const planGroup = (node: string) => {
    const g = groups.find((x) => x.nodes.includes(node));
    if (!g)
      throw new ClusterError(`node "${node}" is not a node of local cluster "${state.name}" (${summarise(groups)})`);
    return g;
  };
  /** The writers keeping real nodes' disks full, by node (stopped by revert or collectImageGarbage). */
  const writers = new Map<string, { stop(): void }>();
  const nodeDir = (node: string) => path.join(state.dir, "nodes", node);
  const freeRealDisk = async (node: string) => {
    writers.get(node)?.stop();
    writers.delete(node);
    await freeNodeDisk(nodeDir(node));
  };

  const setDiskPressure = async (node: string, full: boolean) => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const condition = full
      ? {
          type: "DiskPressure",
          status: "True",
          reason: "KubeletHasDiskPressure",
          message: "kubelet has disk pressure (simulated: no real disk on this node)",
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        }
      : {
          type: "DiskPressure",
          status: "False",
          reason: "KubeletHasNoDiskPressure",
          message: "kubelet has no disk pressure",
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        };
    await kube.patch(
      { apiVersion: "v1", kind: "Node", name: node },
      { status: { conditions: [condition] } },
      "strategic",
      { subresource: "status", fieldManager: MODEL_FIELD_MANAGER },
    );
  };

  const setPodStartExcluded = async (node: string, excluded: boolean) => {
    const stage = await kube.get({ ...STAGE, name: POD_START });
    if (!stage)
      throw new ClusterError(
        `kwok stage ${POD_START} is missing: the local cluster was not started by this version of kubedrill`,
      );
    const exprs: { key: string; operator: string; values?: string[] }[] = stage.spec.selector.matchExpressions;
    let rule = exprs.find((e) => e.key === ".spec.nodeName" && e.operator === "NotIn");
    const nodes = new Set(rule?.values ?? []);
    if (excluded) nodes.add(node);
    else nodes.delete(node);
    const rest = exprs.filter((e) => e !== rule);
    rule = nodes.size > 0 ? { key: ".spec.nodeName", operator: "NotIn", values: [...nodes].sort() } : undefined;
    await kube.patch(
      { ...STAGE, name: POD_START },
      { spec: { selector: { matchExpressions: rule ? [...rest, rule] : rest } } },
      "merge",
    );
  };

  /** The kubelet retries failed pulls (ImagePullBackOff); here a retry is a pod update kwok reacts to. */
  const retryFailedPulls = async (node: string) => {
    const { items } = await kube.list({ apiVersion: "v1", kind: "Pod" }, { fieldSelector: `spec.nodeName=${node}` });
    const failed = items.filter((p) =>
      (p.status?.containerStatuses ?? []).some(
        (c: { state?: { waiting?: { reason?: string } } }) => c.state?.waiting?.reason === "ErrImagePull",
      ),
    );
    for (const p of failed) {
      const ref = { apiVersion: "v1", kind: "Pod", name: p.metadata.name!, namespace: p.metadata.namespace! };
      await kube
        .patch(
          ref,
          { metadata: { annotations: { "kubedrill.io/image-pull-retry": new Date().toISOString() } } },
          "merge",
        )
        .catch(() => undefined);
    }
  };

  // Space first, then the condition: clearing DiskPressure lifts the taint at once, and a
  // pod scheduled to the node in that moment must pull successfully.
  const freeDisk = async (node: string) => {
    await setPodStartExcluded(node, false);
    await kube.delete({ ...STAGE, name: noSpaceStage(node) }); // false when it was never made
    await setDiskPressure(node, false);
    await retryFailedPulls(node);
  };

  return {
    async stopNodes(names) {
      if (real) {
        names.forEach(kubeletOf); // each names a node of this cluster
        const undo = revertible(() => setNodeLinks(state, names, "up"));
        try {
          await setNodeLinks(state, names, "down");
        } catch (err) {
          await undo.revert().catch(() => undefined);
          throw err;
        }
        return undo;
      }
      // a paused kwok process stops renewing its nodes' Leases, as a dead kubelet does
      const plan = planStop(groups, names, state.name);
      const paused = plan.pause.map(kwokProcess);
      plan.relabel.forEach((r) => kwokProcess(r.group));
      const undo = revertible(async () => {
        for (const p of paused) if (procs.running(p)) procs.signal(p.pid, "SIGCONT");
        for (const r of plan.relabel) await setKwokGroup(kube, r.nodes, r.group.label!);
      });
      try {
        for (const p of paused) procs.signal(p.pid, "SIGSTOP");
        for (const r of plan.relabel) await setKwokGroup(kube, r.nodes, topo.KWOK_GROUP_STOPPED);
      } catch (err) {
        await undo.revert().catch(() => undefined);
        throw err;
      }
      return undo;
    },
    async fillDisk(node) {
      kubeletOf(node); // names a node of this cluster
      if (real) {
        // a real disk, really full: the kubelet, containerd and the scheduler do the rest
        const undo = revertible(() => freeRealDisk(node));
        try {
          writers.set(node, await fillNodeDisk(nodeDir(node)));
        } catch (err) {
          await undo.revert().catch(() => undefined);
          throw err;
        }
        return Object.assign(undo, { simulated: false });
      }
      const undo = revertible(() => freeDisk(node));
      try {
        await kube.apply(noSpaceStageObject(node));
        await setPodStartExcluded(node, true);
        await setDiskPressure(node, true);
      } catch (err) {
        await undo.revert().catch(() => undefined); // freeDisk tolerates the parts never done
        throw err;
      }
      return Object.assign(undo, { simulated: true });
    },
    async collectImageGarbage(node) {
      if (!real) return freeDisk(node);
      kubeletOf(node); // names a node of this cluster
      await freeRealDisk(node);
    },
    // real nodes only: kwok nodes pull nothing, have no network of their own, run no CoreDNS
    ...(real
      ? {
          ...clusterDNSActions(kube),
          async blockRegistry(names: string[]) {
            const registry = registryOf(state);
            const kubelets = names.map(kubeletOf); // each names a node of this cluster, running
            const undo = revertible(async () => void (await unblockNodes(kubelets)));
            try {
              for (const k of kubelets) await inNs(k.pid, "nft", ["-f", "-"], { input: blockRule(registry) });
            } catch (err) {
              await undo.revert().catch(() => undefined);
              throw err;
            }
            return undo;
          },
          async unblockRegistry(names: string[]) {
            await unblockNodes(names.map(kubeletOf));
          },
        }
      : {}),
  };
}

/** The firewall table blockRegistry adds to a real node's own network namespace (one name, ours). */
export const REGISTRY_BLOCK_TABLE = "kubedrill-registry-block";

function registryOf(state: LocalClusterState): NonNullable<LocalClusterState["registry"]> {
  if (!state.registry)
    throw new ClusterError(
      `local cluster "${state.name}" does not record its registry's address (it was started by an older kubedrill): recreate it`,
    );
  return state.registry;
}

/**
 * Drops what the node itself sends to the registries (the output hook sees only the
 * node's own traffic: containerd's pulls, not its pods' forwarded packets). Dropped, not
 * rejected: a firewall that silently discards is what makes pulls time out.
 */
function blockRule(r: NonNullable<LocalClusterState["registry"]>): string {
  return `table ip ${REGISTRY_BLOCK_TABLE} {
  chain output {
    type filter hook output priority filter; policy accept;
    ip daddr ${r.address} tcp dport { ${r.ports.join(", ")} } drop
  }
}
`;
}

/** Deletes the block table from each node's namespace where it exists. */
async function unblockNodes(kubelets: ProcessRecord[]): Promise<string[]> {
  const unblocked: string[] = [];
  for (const k of kubelets) {
    if (!isOurs(k)) continue; // the node is gone, and its namespace with it
    const tables = await inNs(k.pid, "nft", ["list", "tables", "ip"]);
    if (!new RegExp(`^table ip ${REGISTRY_BLOCK_TABLE}$`, "m").test(tables)) continue;
    await inNs(k.pid, "nft", ["delete", "table", "ip", REGISTRY_BLOCK_TABLE]);
    unblocked.push(realKubeletNode(k.name)!);
  }
  return unblocked;
}

/** Real nodes a run that died with the registry blocked left cut off from it: the rule goes. */
export async function unblockAllRegistries(state: LocalClusterState): Promise<string[]> {
  if (state.nodes !== "real") return [];
  return unblockNodes(state.processes.filter((p) => realKubeletNode(p.name) !== undefined));
}

/**
 * Undoes what a run that died in the middle of a fault can leave on the local cluster:
 * a full disk (the no-space stages, nodes excluded from starting pods, DiskPressure=True).
 * Paused kubelets are resumed by resumeAllNodes.
 */
export async function repairModelledFaults(state: LocalClusterState, kube: Kube): Promise<string[]> {
  const repaired: string[] = [];
  if (state.nodes === "real") {
    // a run that died with a node's disk full left its filler behind
    for (const p of state.processes) {
      const node = realKubeletNode(p.name);
      if (node && (await freeNodeDisk(path.join(state.dir, "nodes", node)))) repaired.push(node);
    }
    return repaired;
  }
  const { items: stages } = await kube.list(STAGE);
  const full = new Set<string>();
  for (const s of stages)
    if (s.metadata.name?.startsWith("kubedrill-image-pull-no-space-"))
      full.add(s.metadata.name.slice("kubedrill-image-pull-no-space-".length));
  const podStart = stages.find((s) => s.metadata.name === POD_START);
  const excluded: string[] =
    (podStart?.spec?.selector?.matchExpressions ?? []).find((e: { key: string }) => e.key === ".spec.nodeName")
      ?.values ?? [];
  excluded.forEach((n) => full.add(n));
  const { items: nodes } = await kube.list({ apiVersion: "v1", kind: "Node" });
  for (const n of nodes) {
    const dp = (n.status?.conditions ?? []).find((c: { type: string; status: string }) => c.type === "DiskPressure");
    // DiskPressure=True that the model wrote (a real kubelet writes it as "kubelet")
    if (dp?.status === "True" && fieldOwners(n, conditionField("DiskPressure")).includes(MODEL_FIELD_MANAGER))
      full.add(n.metadata.name!);
  }
  const actions = localActions(state, kube);
  for (const node of full) {
    await actions.collectImageGarbage(node);
    repaired.push(node);
  }
  return repaired;
}

/** A real node's link into the cluster's router (nodes/network.ts names it by the node's index). */
function nodeLink(node: string): string {
  return `n${topo.defaultNodes().findIndex((n) => n.name === node)}`;
}

async function setNodeLinks(state: LocalClusterState, nodes: string[], to: "up" | "down"): Promise<void> {
  const router = state.processes.find((p) => p.name === "router");
  if (!router || !isOurs(router)) throw new ClusterError(`the router of local cluster "${state.name}" is not running`);
  for (const n of nodes) await inNs(router.pid, "ip", ["link", "set", nodeLink(n), to]);
}

/** Real nodes a run that died in a zone outage left cut off: their links go up again. */
export async function reconnectAllNodes(state: LocalClusterState): Promise<string[]> {
  if (state.nodes !== "real") return [];
  const router = state.processes.find((p) => p.name === "router");
  if (!router || !isOurs(router)) return [];
  const down = topo
    .defaultNodes()
    .map((n) => n.name)
    .filter((n) => state.processes.some((p) => p.name === `${n}-kubelet`));
  const links = await inNs(router.pid, "ip", ["-o", "link", "show"]);
  const cut = down.filter((n) => new RegExp(`^\\d+: ${nodeLink(n)}@\\S+: <(?![^>]*\\bUP\\b)`, "m").test(links));
  if (cut.length) await setNodeLinks(state, cut, "up");
  return cut;
}

/**
 * Resumes every paused kubelet: what a run that died with a node stopped leaves behind.
 * Returns what it resumed: "node worker3", or "zone zone-b (100 nodes)" for a zone's kwok process.
 */
export function resumeAllNodes(state: LocalClusterState): string[] {
  const kubelets: [ProcessRecord, string][] =
    state.nodes === "real"
      ? state.processes.flatMap((p) => {
          const node = realKubeletNode(p.name);
          return node ? [[p, `node ${node}`] as [ProcessRecord, string]] : [];
        })
      : kwokGroups(state.workers).flatMap((g) => {
          const p = state.processes.find((x) => x.name === g.process);
          const what = g.label ? `zone ${g.label} (${g.nodes.length} nodes)` : `node ${g.nodes[0]}`;
          return p ? [[p, what] as [ProcessRecord, string]] : [];
        });
  const resumed: string[] = [];
  for (const [p, what] of kubelets) {
    if (!isOurs(p)) continue;
    try {
      const stat = readStat(p.pid);
      if (stat === "T") {
        signalGroup(p.pid, "SIGCONT");
        resumed.push(what);
      }
    } catch {
      // process went away meanwhile
    }
  }
  return resumed;
}

/**
 * Scale mode: puts the nodes a run that died left relabelled out of their kwok process's
 * selection (KWOK_GROUP_LABEL=stopped) back into their zone's. Returns their names.
 */
export async function restoreStoppedNodes(state: LocalClusterState, kube: Kube): Promise<string[]> {
  if (state.nodes === "real" || state.workers === undefined) return [];
  const { items } = await kube.list(
    { apiVersion: "v1", kind: "Node" },
    { labelSelector: `${topo.KWOK_GROUP_LABEL}=${topo.KWOK_GROUP_STOPPED}` },
  );
  const stopped = new Set(items.map((n) => n.metadata.name!));
  const restored: string[] = [];
  for (const g of kwokGroups(state.workers)) {
    const mine = g.nodes.filter((n) => stopped.has(n));
    if (mine.length === 0) continue;
    await setKwokGroup(kube, mine, g.label!);
    restored.push(...mine);
  }
  return restored;
}

function readStat(pid: number): string {
  // /proc/<pid>/stat: "pid (comm) S ..."; T means stopped
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return /\) (\S) /.exec(text)?.[1] ?? "?";
}

function noSpaceStageObject(node: string): KObject {
  return {
    apiVersion: STAGE.apiVersion,
    kind: STAGE.kind,
    metadata: { name: noSpaceStage(node), labels: { "app.kubernetes.io/managed-by": "kubedrill" } },
    spec: {
      resourceRef: { apiGroup: "v1", kind: "Pod" },
      selector: {
        matchExpressions: [
          { key: ".metadata.deletionTimestamp", operator: "DoesNotExist" },
          { key: ".spec.nodeName", operator: "In", values: [node] },
          { key: ".status.phase", operator: "In", values: ["Pending"] },
          // once applied the pod is Initialized, so the stage (and its event) fires once per pod
          {
            key: '.status.conditions.[] | select( .type == "Initialized" ) | .status',
            operator: "NotIn",
            values: ["True"],
          },
        ],
      },
      // as a real kubelet under DiskPressure does: a new pod is refused at admission
      next: {
        event: {
          type: "Warning",
          reason: "Evicted",
          message: `The node had condition: [DiskPressure]. (simulated on ${node})`,
        },
        statusTemplate: NO_SPACE_TEMPLATE,
      },
    },
  };
}

const NO_SPACE_TEMPLATE = `phase: Failed
reason: Evicted
message: "Pod was rejected: The node had condition: [DiskPressure]. (simulated)"
`;
