import path from "node:path";
import type { ProcessRecord } from "../processes.ts";
import { POD_CIDR } from "../topology.ts";
import { createCgroup, joinFiles } from "./cgroups.ts";
import { inNs, run } from "./exec.ts";
import type { Ledger } from "./ledger.ts";
import { spawnRecorded, untilExecd } from "./spawn.ts";
import type { ClusterNet } from "./subnet.ts";

export interface NetInputs {
  ledger: Ledger;
  net: ClusterNet;
  dir: string;
  /** cgroup path relative to each hierarchy, e.g. kubedrill/CLUSTER */
  cgroup: string;
  pause: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The cluster's router: a network namespace (held by a pause process, so it disappears
 * with it) holding the bridge all nodes plug into and the routes to every node's pod CIDR.
 * The host has one link into it, with the address the API server binds to; pod routes
 * never enter the host's routing table.
 */
export async function startRouter(i: NetInputs): Promise<ProcessRecord> {
  createCgroup(i.ledger, `${i.cgroup}/router`);
  const holder = spawnRecorded(
    i.ledger,
    {
      name: "router",
      binary: i.pause,
      args: [],
      logFile: path.join(i.dir, "router.log"),
      cgroupProcs: joinFiles(`${i.cgroup}/router`),
      unshare: ["--net"],
    },
    i.env,
  );
  await untilExecd(holder);
  const pid = String(holder.pid);
  i.ledger.add("hostLinks", i.net.hostLink);
  await run("ip", ["link", "add", i.net.hostLink, "type", "veth", "peer", "name", "host", "netns", pid]);
  await run("ip", ["addr", "add", `${i.net.hostIP}/24`, "dev", i.net.hostLink]);
  await run("ip", ["link", "set", i.net.hostLink, "up"]);
  const script = [
    "set -e",
    "ip link set lo up",
    "ip link add br0 type bridge",
    `ip addr add ${i.net.gateway}/24 dev br0`,
    "ip link set br0 up",
    "ip link set host master br0 up",
    "sysctl -qw net.ipv4.ip_forward=1",
    // pods reach the API server (the only address outside the cluster) as their node's router
    `nft -f - <<'EOF'
table ip kubedrill {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    ip saddr ${POD_CIDR} ip daddr ${i.net.hostIP} masquerade
  }
}
EOF`,
  ].join("\n");
  await inNs(holder.pid, "/bin/sh", ["-c", script]);
  return holder;
}

export interface NodeNetInputs extends NetInputs {
  router: ProcessRecord;
  index: number;
  name: string;
  podCIDR: string;
  nodeDir: string;
}

/**
 * A node: a network and mount namespace held by a pause process. Its mount namespace gets
 * private /run, /var/lib and /var/log (folders of the node), so the paths containerd and
 * kubelet hard-code (/run/netns, /run/containerd/s, /var/lib/cni, /var/lib/kubelet/device-plugins,
 * /var/log/containers) are the node's own and vanish with it.
 */
export async function startNodeNamespace(i: NodeNetInputs): Promise<ProcessRecord> {
  const rel = `${i.cgroup}/${i.name}/runtime`;
  createCgroup(i.ledger, rel);
  const holder = spawnRecorded(
    i.ledger,
    {
      name: `${i.name}-netns`,
      binary: i.pause,
      args: [],
      logFile: path.join(i.nodeDir, "netns.log"),
      cgroupProcs: joinFiles(rel),
      unshare: ["--net", "--mount", "--propagation", "slave"],
    },
    i.env,
  );
  await untilExecd(holder);
  const ip = i.net.nodeIP(i.index);
  const link = `n${i.index}`;
  await inNs(i.router.pid, "ip", [
    "link",
    "add",
    link,
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    String(holder.pid),
  ]);
  await inNs(i.router.pid, "/bin/sh", [
    "-c",
    `set -e; ip link set ${link} master br0 up; ip route add ${i.podCIDR} via ${ip}`,
  ]);
  const mounts = [
    "mount -t tmpfs -o mode=755 kubedrill-run /run",
    `mount --bind ${i.nodeDir}/var-lib /var/lib`,
    `mount --bind ${i.nodeDir}/var-log /var/log`,
  ];
  await inNs(
    holder.pid,
    "/bin/sh",
    [
      "-c",
      [
        "set -e",
        `mkdir -p ${i.nodeDir}/var-lib ${i.nodeDir}/var-log`,
        ...mounts,
        "ip link set lo up",
        // the pods' bridge and gateway; IP pool blocks add their own gateways (ipam-main.ts)
        "ip link add cni0 type bridge",
        `ip addr add ${podGateway(i.podCIDR)} dev cni0`,
        "ip link set cni0 up",
        `ip addr add ${ip}/24 dev eth0`,
        "ip link set eth0 up",
        `ip route add default via ${i.net.gateway}`,
        "sysctl -qw net.ipv4.ip_forward=1",
        bridgeNetfilter(),
      ].join("\n"),
    ],
    { mount: true },
  );
  return holder;
}

/** The first address of a pod CIDR, with its prefix: the pods' gateway on cni0. */
export function podGateway(podCIDR: string): string {
  const [addr, prefix] = podCIDR.split("/") as [string, string];
  const o = addr.split(".").map(Number);
  return `${o[0]}.${o[1]}.${o[2]}.${o[3]! + 1}/${prefix}`;
}

/** Bridged pod-to-pod replies pass conntrack, so a Service's DNAT is undone on the same node. */
function bridgeNetfilter(): string {
  return "[ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || sysctl -qw net.bridge.bridge-nf-call-iptables=1";
}
