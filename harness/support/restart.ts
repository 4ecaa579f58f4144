import { readFileSync } from "node:fs";
import { clusterDir } from "../../src/providers/local/paths.ts";
import { isOurs, signalGroup, startProcess, type ProcessRecord } from "../../src/providers/local/processes.ts";
import { readState, writeState } from "../../src/providers/local/state.ts";

/**
 * Kills one control-plane process of a local cluster (SIGKILL to its process group, as a
 * crash would) and starts it again with the same command line, environment and log file,
 * after `downMs`. The cluster's state.json then records the new process, so that
 * `cluster down` stops it. Returns how long it was gone, from the kill to the new start.
 */
export async function restartComponent(
  cluster: string,
  component: "kube-apiserver" | "etcd",
  downMs = 0,
): Promise<{ downMs: number; process: ProcessRecord }> {
  const dir = clusterDir(cluster);
  const state = await readState(dir);
  if (!state) throw new Error(`no local cluster "${cluster}" in ${dir}`);
  const old = state.processes.find((p) => p.name === component);
  if (!old || !isOurs(old)) throw new Error(`${component} of cluster "${cluster}" is not running`);
  const argv = readFileSync(`/proc/${old.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  const env = Object.fromEntries(
    readFileSync(`/proc/${old.pid}/environ`, "utf8")
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
  const killed = Date.now();
  signalGroup(old.pid, "SIGKILL");
  while (isOurs(old)) await new Promise((r) => setTimeout(r, 20));
  if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
  const started = startProcess(component, argv[0]!, argv.slice(1), old.logFile, env);
  state.processes = state.processes.map((p) => (p === old ? started : p));
  await writeState(state);
  return { downMs: Date.now() - killed, process: started };
}
