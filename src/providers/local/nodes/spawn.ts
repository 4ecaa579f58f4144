import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { ClusterError } from "../../../errors.ts";
import type { ProcessRecord } from "../processes.ts";
import type { Ledger } from "./ledger.ts";

/** Joins the cgroups named before `--` (by writing its own pid), then becomes the command after it. */
const JOIN_THEN_EXEC = 'while [ "$1" != -- ]; do echo $$ > "$1"; shift; done; shift; exec "$@"';

export interface SpawnSpec {
  name: string;
  /** The program that finally runs (what /proc/PID/cmdline[0] shows): an absolute path. */
  binary: string;
  args: string[];
  logFile: string;
  /** `cgroup.procs` files to join before anything runs. */
  cgroupProcs: string[];
  /** Enter the namespaces of this pid first (net, and mount when `mount`). */
  enter?: { pid: number; mount: boolean };
  /** Or create new namespaces with unshare (the holder processes). */
  unshare?: string[];
}

/**
 * Starts a long-running process in its own process group, already inside its cgroups and
 * namespaces, and records it in the ledger before returning.
 */
export function spawnRecorded(ledger: Ledger, s: SpawnSpec, env: NodeJS.ProcessEnv): ProcessRecord {
  const prefix = s.enter
    ? ["nsenter", "-t", String(s.enter.pid), "-n", ...(s.enter.mount ? ["-m"] : []), "--"]
    : s.unshare
      ? ["unshare", ...s.unshare, "--"]
      : [];
  const fd = openSync(s.logFile, "a");
  try {
    const child = spawn(
      "/bin/sh",
      ["-c", JOIN_THEN_EXEC, "sh", ...s.cgroupProcs, "--", ...prefix, s.binary, ...s.args],
      {
        detached: true,
        stdio: ["ignore", fd, fd],
        env,
      },
    );
    if (child.pid === undefined) throw new ClusterError(`could not start ${s.name} (${s.binary})`);
    child.unref();
    const rec: ProcessRecord = { name: s.name, pid: child.pid, binary: s.binary, logFile: s.logFile };
    ledger.add("processes", rec);
    return rec;
  } finally {
    closeSync(fd);
  }
}

/** Waits until the process shows its final program (the wrapper shell has exec'd into it). */
export async function untilExecd(p: ProcessRecord, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let argv0 = "";
    try {
      argv0 = readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0")[0]!;
    } catch {
      throw new ClusterError(`${p.name} exited at start; see ${p.logFile}`);
    }
    if (argv0 === p.binary) return;
    if (Date.now() > deadline)
      throw new ClusterError(`${p.name} did not start ${p.binary} within ${timeoutMs}ms (still ${argv0})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
