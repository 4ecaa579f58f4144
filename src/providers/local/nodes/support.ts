import { accessSync, constants, existsSync } from "node:fs";
import { cgroupV1Mounts } from "./cgroups.ts";

const NEEDED = [
  ["/usr/bin/containerd", "containerd"],
  ["/usr/bin/ctr", "containerd"],
  ["/usr/sbin/runc", "runc"],
  ["/usr/sbin/nft", "nftables"],
  ["/usr/sbin/iptables", "iptables"],
  ["/usr/sbin/ipset", "ipset"],
  ["/usr/lib/cni/bridge", "containernetworking-plugins"],
  ["/usr/lib/cni/host-local", "containernetworking-plugins"],
  ["/usr/lib/cni/loopback", "containernetworking-plugins"],
  ["/usr/lib/cni/portmap", "containernetworking-plugins"],
  ["/usr/bin/nsenter", "util-linux"],
  ["/usr/bin/unshare", "util-linux"],
  ["/bin/busybox", "busybox-static"],
  ["/usr/sbin/nginx", "nginx-light"], // the Ingress controller's proxy
] as const;

/** The Debian packages real nodes use (.ci/run installs them). */
export const REAL_NODE_PACKAGES = [...new Set(NEEDED.map(([, pkg]) => pkg))];

/** Whether this host can run real nodes; the reason when it cannot. */
export function realNodeSupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== "linux") return { ok: false, reason: `real nodes need Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: "real nodes need root (network namespaces, cgroups, mounts)" };
  const missing = NEEDED.filter(([file]) => !isExecutable(file));
  if (missing.length)
    return {
      ok: false,
      reason: `real nodes need ${missing.map(([f]) => f).join(", ")} (apt-get install ${[...new Set(missing.map(([, p]) => p))].join(" ")})`,
    };
  if (!existsSync("/proc/self/ns/net")) return { ok: false, reason: "this kernel has no network namespaces" };
  if (cgroupV1Mounts().length === 0)
    return {
      ok: false,
      reason: "real nodes need cgroup v1 hierarchies (none is mounted; cgroup v2 is not supported yet)",
    };
  return { ok: true };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
