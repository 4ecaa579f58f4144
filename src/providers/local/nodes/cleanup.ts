import { existsSync } from "node:fs";
import { isOurs, stopProcess } from "../processes.ts";
import { removeCgroups } from "./cgroups.ts";
import { removeNodeDisks } from "./disk.ts";
import { run } from "./exec.ts";
import { Ledger } from "./ledger.ts";

/**
 * Undoes what the cluster's ledger lists, newest first: processes (the namespace holders
 * last, so the namespaces, their links, routes, mounts and firewall tables go with them),
 * whatever is still left in the recorded cgroups (containers, shims), the cgroups, the
 * nodes' disks (unmounted, loop devices detached), and the host's link into the router. Idempotent; throws once at the end listing what failed.
 */
export async function cleanupRealNodes(clusterDir: string): Promise<void> {
  const ledger = Ledger.read(clusterDir);
  if (!ledger) return;
  const failed: string[] = [];
  for (const p of [...ledger.data.processes].reverse()) {
    await stopProcess(p, 3000).catch((e) => failed.push(`stop ${p.name} (pid ${p.pid}): ${String(e)}`));
  }
  failed.push(...(await removeCgroups(ledger.data.cgroups)));
  failed.push(...(await removeNodeDisks(ledger)));
  for (const link of ledger.data.hostLinks) {
    if (!existsSync(`/sys/class/net/${link}`)) continue;
    // the router's end going away with its namespace takes this end along, perhaps just now
    await run("ip", ["link", "del", link]).catch((e) => {
      if (existsSync(`/sys/class/net/${link}`)) failed.push(String(e));
    });
  }
  if (failed.length) throw new Error(`cleaning up the real nodes of ${clusterDir} left:\n  ${failed.join("\n  ")}`);
}

/** For reuse: every node was started and each recorded process still runs. */
export function realNodesIntact(clusterDir: string): boolean {
  const ledger = Ledger.read(clusterDir);
  return !!ledger?.data.complete && ledger.data.processes.every(isOurs);
}
