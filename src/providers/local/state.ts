import fs from "node:fs/promises";
import path from "node:path";
import { kubeconfigFile } from "./paths.ts";
import type { ProcessRecord } from "./processes.ts";
import { isOurs } from "./processes.ts";

/** What `cluster up` leaves behind for `status`, `kubeconfig` and `down` to find. */
export interface LocalClusterState {
  name: string;
  kubernetesVersion: string;
  createdAt: string;
  dir: string;
  kubeconfig: string;
  apiServer: string;
  ports: { etcdClient: number; etcdPeer: number; apiServer: number };
  processes: ProcessRecord[];
  /** Absent in clusters started before real nodes existed: kwok. */
  nodes?: "kwok" | "real";
  /**
   * Scale mode (`--workers N`): N kwok nodes, one kwok process per zone (kwok-groups.ts
   * derives the grouping from N). Absent: the default six nodes, a process each.
   */
  workers?: number;
  /** Real nodes: where the Ingress controller answers (on the router's bridge). */
  ingressURL?: string;
  /** Real nodes: where the nodes reach the cluster's registries (the router's bridge), for blockRegistry. */
  registry?: { address: string; ports: number[] };
}

export const stateFile = (dir: string) => path.join(dir, "state.json");

/**
 * The state of the cluster whose folder is `dir`. Its paths (`dir`, `kubeconfig`) derive
 * from the folder, whatever the file says: `cluster down` removes that folder, and `run`
 * reuses that kubeconfig, never another one an edited state.json names.
 */
export async function readState(dir: string): Promise<LocalClusterState | undefined> {
  try {
    const recorded = JSON.parse(await fs.readFile(stateFile(dir), "utf8")) as LocalClusterState;
    return { ...recorded, dir, kubeconfig: kubeconfigFile(dir) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export async function writeState(state: LocalClusterState): Promise<void> {
  const tmp = `${stateFile(state.dir)}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(state, null, 2));
  await fs.rename(tmp, stateFile(state.dir));
}

export function deadProcesses(state: LocalClusterState): ProcessRecord[] {
  return state.processes.filter((p) => !isOurs(p));
}
