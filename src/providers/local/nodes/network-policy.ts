import { readFileSync } from "node:fs";
import path from "node:path";
import { ClusterError } from "../../../errors.ts";
import type { Component } from "../components.ts";
import type { ProcessRecord } from "../processes.ts";
import { joinFiles } from "./cgroups.ts";
import { clientCert, writeCertKubeconfig } from "./certs.ts";
import { inNs } from "./exec.ts";
import type { Ledger } from "./ledger.ts";
import { spawnRecorded, untilExecd } from "./spawn.ts";

export const KUBE_ROUTER_VERSION = "v2.1.0";

/** kube-router, for its network policy controller only (go/kube-router requires the published module). */
export const KUBE_ROUTER: Component = {
  id: "kube-router",
  version: KUBE_ROUTER_VERSION,
  binaries: ["kube-router"],
  recipe: {
    kind: "module",
    dir: "kube-router",
    packages: ["github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"],
    ldflags: `-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${KUBE_ROUTER_VERSION}`,
  },
};

/** The group every node's kube-router certificate carries; RBAC grants it what the controller watches. */
export const KUBE_ROUTER_GROUP = "kubedrill:kube-router";

/** What kube-router's informers list and watch (it starts them all, even with only the firewall on). */
export function kubeRouterRbac(): Record<string, unknown>[] {
  const name = "kubedrill:kube-router";
  const read = ["get", "list", "watch"];
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules: [
        { apiGroups: [""], resources: ["pods", "namespaces", "nodes", "services", "endpoints"], verbs: read },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: read },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: KUBE_ROUTER_GROUP }],
    },
  ];
}

/** A kubeconfig for one node's kube-router: its own certificate (CN kubedrill:kube-router:NODE). */
export async function kubeRouterKubeconfig(o: {
  pkiDir: string;
  server: string;
  caCert: string;
  nodeDir: string;
  node: string;
}): Promise<string> {
  const user = `${KUBE_ROUTER_GROUP}:${o.node}`;
  const client = await clientCert(o.pkiDir, `kube-router-${o.node}`, user, KUBE_ROUTER_GROUP);
  const file = path.join(o.nodeDir, "kube-router.kubeconfig");
  await writeCertKubeconfig(file, { server: o.server, caCert: o.caCert, client, user });
  return file;
}

export interface KubeRouterInputs {
  ledger: Ledger;
  node: string;
  nodeDir: string;
  /** The node's namespace holder: kube-router's iptables chains and ipsets live in that namespace. */
  holder: ProcessRecord;
  /** cgroup path of the node's runtime processes, relative to each hierarchy */
  cgroup: string;
  binary: string;
  kubeconfig: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts a node's network policy firewall: kube-router with `--run-firewall` only (no
 * routing, no service proxy, no health or metrics listener), inside the node's network and
 * mount namespaces. Returns once its first sync has created its filter chains.
 */
export async function startKubeRouter(i: KubeRouterInputs, timeoutMs = 30_000): Promise<ProcessRecord> {
  const p = spawnRecorded(
    i.ledger,
    {
      name: `${i.node}-kube-router`,
      binary: i.binary,
      args: [
        "--run-firewall=true",
        "--run-router=false",
        "--run-service-proxy=false",
        "--enable-cni=false",
        "--enable-ipv6=false",
        `--kubeconfig=${i.kubeconfig}`,
        `--hostname-override=${i.node}`,
        "--health-port=0",
        "--metrics-port=0",
        "--v=1",
      ],
      logFile: path.join(i.nodeDir, "kube-router.log"),
      cgroupProcs: joinFiles(i.cgroup),
      enter: { pid: i.holder.pid, mount: true },
    },
    i.env,
  );
  await untilExecd(p);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await inNs(i.holder.pid, "iptables", ["-w", "-S", "KUBE-ROUTER-FORWARD"]).then(
      () => true,
      () => false,
    );
    if (ok) return p;
    if (Date.now() > deadline)
      throw new ClusterError(
        `kube-router on ${i.node} created no KUBE-ROUTER-FORWARD chain within ${timeoutMs}ms: ${logTail(p.logFile)}`,
      );
    await untilExecd(p, 0).catch((err: unknown) => {
      throw new ClusterError(`kube-router on ${i.node} exited at start: ${logTail(p.logFile)}`, { cause: err });
    });
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The last lines of a log (the cluster folder, and the log with it, goes when a failed start is undone). */
function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-3).join(" | ");
  } catch {
    return `(no log at ${file})`;
  }
}
