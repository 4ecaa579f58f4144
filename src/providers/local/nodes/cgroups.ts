import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Ledger } from "./ledger.ts";

/** Mount points of the host's cgroup v1 hierarchies (cpu, memory, pids, name=systemd, ...). */
export function cgroupV1Mounts(): string[] {
  return mountsOfType(/ - cgroup /);
}

/**
 * Every hierarchy, the unified one of a hybrid host included: runc and kubelet make their
 * folders there too, so ours must exist (and be recorded) there as well.
 */
export function cgroupMounts(): string[] {
  return mountsOfType(/ - cgroup2? /);
}

function mountsOfType(re: RegExp): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((l) => re.test(l))
    .map((l) => l.split(" ")[4]!);
}

/**
 * Creates `rel` (e.g. `kubedrill/c1/worker`) in every hierarchy, recording each folder it
 * creates; cpuset folders get their parent's cpus and mems so that tasks may join them.
 */
export function createCgroup(ledger: Ledger, rel: string): void {
  for (const mount of cgroupMounts()) {
    let dir = mount;
    for (const part of rel.split("/")) {
      const parent = dir;
      dir = path.join(dir, part);
      if (existsSync(dir)) continue;
      ledger.add("cgroups", dir);
      mkdirSync(dir);
      for (const f of ["cpuset.cpus", "cpuset.mems"]) {
        if (existsSync(path.join(parent, f)))
          writeFileSync(path.join(dir, f), readFileSync(path.join(parent, f), "utf8").trim() || "\n");
      }
    }
  }
}

/** The `cgroup.procs` files a process writes its pid to in order to join `rel` everywhere. */
export function joinFiles(rel: string): string[] {
  return cgroupMounts().map((m) => path.join(m, rel, "cgroup.procs"));
}

/** Pids in a cgroup folder and all its descendants. */
export function pidsIn(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const own = readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  const children = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  return [...own, ...children.flatMap((c) => pidsIn(path.join(dir, c.name)))];
}

/**
 * Kills every process left in the recorded cgroups (and in folders kubelet made inside
 * them), then removes the folders, deepest first. Returns what could not be removed.
 */
export async function removeCgroups(recorded: string[]): Promise<string[]> {
  for (const dir of recorded) {
    for (let i = 0; i < 100; i++) {
      const pids = pidsIn(dir);
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const failed: string[] = [];
  for (const dir of [...recorded].reverse()) {
    const err = removeTree(dir);
    if (err && err.code !== "ENOTEMPTY" && err.code !== "EBUSY") failed.push(`${dir}: ${err.message}`);
    // a shared parent (kubedrill/) still used by another cluster stays, which is right
  }
  return failed;
}

function removeTree(dir: string): NodeJS.ErrnoException | undefined {
  if (!existsSync(dir)) return undefined;
  for (const c of readdirSync(dir, { withFileTypes: true })) {
    if (c.isDirectory()) {
      const err = removeTree(path.join(dir, c.name));
      if (err) return err;
    }
  }
  try {
    rmdirSync(dir);
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}
