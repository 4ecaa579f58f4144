import { ClusterError } from "../../errors.ts";
import { clusterNodes, ZONES } from "./topology.ts";

/**
 * Which kwok process is the simulated kubelet of which nodes. By default each node has its
 * own process (`kwok-NODE`, --manage-single-node); in scale mode (`--workers N`) one process
 * per zone (`kwok-ZONE`) manages the nodes labelled KWOK_GROUP_LABEL=ZONE.
 */
export interface KwokGroup {
  /** The process's name in the cluster state. */
  process: string;
  /** Scale mode: the KWOK_GROUP_LABEL value the process selects. */
  label?: string;
  nodes: string[];
}

export function kwokGroups(workers?: number): KwokGroup[] {
  const nodes = clusterNodes(workers);
  if (workers === undefined) return nodes.map((n) => ({ process: `kwok-${n.name}`, nodes: [n.name] }));
  return ZONES.map((zone) => ({
    process: `kwok-${zone}`,
    label: zone,
    nodes: nodes.filter((n) => n.zone === zone).map((n) => n.name),
  }));
}

export interface StopPlan {
  /** Processes all of whose nodes stop: paused (SIGSTOP). */
  pause: KwokGroup[];
  /** Nodes stopped without the rest of their process's: moved out of its selection. */
  relabel: { group: KwokGroup; nodes: string[] }[];
}

/**
 * How to stop `names`: a process whose every node is named is paused; the named nodes of
 * any other process are relabelled. Throws, naming the nodes, if one is not a kwok node.
 */
export function planStop(groups: KwokGroup[], names: string[], cluster: string): StopPlan {
  const wanted = new Set(names);
  const unknown = names.filter((n) => !groups.some((g) => g.nodes.includes(n)));
  if (unknown.length)
    throw new ClusterError(
      `${unknown.map((n) => `"${n}"`).join(", ")} ${unknown.length > 1 ? "are not nodes" : "is not a node"} of local cluster "${cluster}" (${summarise(groups)})`,
    );
  const plan: StopPlan = { pause: [], relabel: [] };
  for (const g of groups) {
    const named = g.nodes.filter((n) => wanted.has(n));
    if (named.length === 0) continue;
    if (named.length === g.nodes.length) plan.pause.push(g);
    else plan.relabel.push({ group: g, nodes: named });
  }
  return plan;
}

/** "nodes: worker, worker2" or "300 nodes: worker ... worker300", for messages. */
export function summarise(groups: KwokGroup[]): string {
  const all = groups.flatMap((g) => g.nodes);
  return all.length <= 12 ? `nodes: ${all.join(", ")}` : `${all.length} nodes: ${all[0]} ... ${all.at(-1)}`;
}
