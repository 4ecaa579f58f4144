import { existsSync, readFileSync, readdirSync } from "node:fs";
import { execa } from "execa";

/** What real nodes may create on the host, listed the way a person would check by hand. */
export interface HostSnapshot {
  netns: string[];
  links: string[];
  addresses: string[];
  routes: string[];
  mounts: string[];
  nftTables: string[];
  iptables: string[];
  ipsets: string[];
  ipForward: string;
  loops: string[];
}

const lines = async (cmd: string, args: string[]) =>
  (await execa(cmd, args, { reject: false })).stdout.split("\n").filter((l) => l.trim() !== "");

export async function hostSnapshot(): Promise<HostSnapshot> {
  return {
    netns: await lines("ip", ["netns", "list"]),
    links: (await lines("ip", ["-o", "link", "show"])).map((l) => l.split(":")[1]!.trim().split("@")[0]!),
    addresses: (await lines("ip", ["-o", "addr", "show"])).map((l) => l.split(/\s+/).slice(1, 4).join(" ")),
    routes: await lines("ip", ["route", "show", "table", "all"]),
    mounts: readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ")[4]!),
    nftTables: await lines("nft", ["list", "tables"]),
    iptables: (await lines("iptables-save", [])).filter((l) => !l.startsWith("#")),
    ipsets: await lines("ipset", ["list", "-n"]),
    ipForward: readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8").trim(),
    loops: await lines("losetup", ["--list", "--noheadings", "--output", "NAME,BACK-FILE"]),
  };
}

/** Entries present in `after` but not in `before`, per kind (and a changed ip_forward). */
export function added(before: HostSnapshot, after: HostSnapshot): string[] {
  const found: string[] = [];
  for (const k of Object.keys(before) as (keyof HostSnapshot)[]) {
    if (k === "ipForward") {
      if (before.ipForward !== after.ipForward) found.push(`ip_forward ${before.ipForward} -> ${after.ipForward}`);
      continue;
    }
    const had = new Set(before[k] as string[]);
    for (const item of after[k] as string[]) if (!had.has(item)) found.push(`${k}: ${item}`);
  }
  return found;
}

/** Running (not zombie) processes whose cgroup path contains `fragment`. */
export function processesInCgroup(fragment: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) continue;
      if (readFileSync(`/proc/${pid}/cgroup`, "utf8").includes(fragment))
        found.push(`${pid} ${readFileSync(`/proc/${pid}/comm`, "utf8").trim()}`);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** cgroup folders named `rel` in any v1 hierarchy or the unified one. */
export function cgroupFolders(rel: string): string[] {
  return readdirSync("/sys/fs/cgroup")
    .map((h) => `/sys/fs/cgroup/${h}/${rel}`)
    .filter((d) => existsSync(d));
}
