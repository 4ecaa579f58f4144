import path from "node:path";
import type { Pki, Identity } from "./pki.ts";
import * as topo from "./topology.ts";

export interface FlagInputs {
  dir: string;
  pki: Pki;
  kubeconfigs: Record<Identity, string>;
  ports: { etcdClient: number; etcdPeer: number; apiServer: number };
  stageConfig: string;
  /** Scale mode: the number of nodes, which sets the per-node pod CIDR (topology.ts nodeCidrMask). */
  workers?: number;
}

/**
 * Command lines of the control-plane processes. Everything listens on 127.0.0.1 only;
 * the controller manager and scheduler serve no HTTPS port at all (--secure-port=0),
 * so several clusters never compete for fixed ports.
 */
export function controlPlaneArgs(
  i: FlagInputs,
): Record<"etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler", string[]> {
  const etcdURL = `http://127.0.0.1:${i.ports.etcdClient}`;
  const peerURL = `http://127.0.0.1:${i.ports.etcdPeer}`;
  return {
    etcd: [
      "--name=kubedrill",
      `--data-dir=${path.join(i.dir, "etcd")}`,
      `--listen-client-urls=${etcdURL}`,
      `--advertise-client-urls=${etcdURL}`,
      `--listen-peer-urls=${peerURL}`,
      `--initial-advertise-peer-urls=${peerURL}`,
      `--initial-cluster=kubedrill=${peerURL}`,
      "--unsafe-no-fsync=true", // a throw-away test cluster: durability is not needed, speed is
      "--quota-backend-bytes=2147483648",
      "--log-level=warn",
    ],
    "kube-apiserver": [
      `--etcd-servers=${etcdURL}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      "--endpoint-reconciler-type=none", // 127.0.0.1 may not be published in Endpoints; nothing in-cluster needs it
      `--secure-port=${i.ports.apiServer}`,
      `--tls-cert-file=${i.pki.servingCert}`,
      `--tls-private-key-file=${i.pki.servingKey}`,
      `--client-ca-file=${i.pki.caCert}`,
      `--token-auth-file=${i.pki.tokenFile}`,
      `--service-account-key-file=${i.pki.saPub}`,
      `--service-account-signing-key-file=${i.pki.saKey}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-cluster-ip-range=${topo.SERVICE_CIDR}`,
      "--authorization-mode=RBAC",
      "--allow-privileged=true",
      "--enable-priority-and-fairness=false",
      "--profiling=false",
      "--v=1",
    ],
    "kube-controller-manager": [
      `--kubeconfig=${i.kubeconfigs["controller-manager"]}`,
      `--authentication-kubeconfig=${i.kubeconfigs["controller-manager"]}`,
      `--authorization-kubeconfig=${i.kubeconfigs["controller-manager"]}`,
      "--secure-port=0",
      "--leader-elect=false",
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${i.pki.saKey}`,
      `--root-ca-file=${i.pki.caCert}`,
      "--allocate-node-cidrs=true",
      `--cluster-cidr=${topo.POD_CIDR}`,
      `--node-cidr-mask-size=${topo.nodeCidrMask(i.workers)}`,
      `--service-cluster-ip-range=${topo.SERVICE_CIDR}`,
      `--node-monitor-period=${topo.NODE_MONITOR_PERIOD_S}s`,
      `--node-monitor-grace-period=${topo.NODE_MONITOR_GRACE_S}s`,
      // scale mode: the node-lifecycle controller marks every pod of a lost zone not ready,
      // one request each; at the default 20 requests/s a 100-node zone with 1,000 pods took
      // over a minute to be marked Unknown (measured with bench/zone-outage.ts)
      ...(i.workers !== undefined ? ["--kube-api-qps=200", "--kube-api-burst=400"] : []),
      "--profiling=false",
      "--v=1",
    ],
    "kube-scheduler": [
      `--kubeconfig=${i.kubeconfigs.scheduler}`,
      `--authentication-kubeconfig=${i.kubeconfigs.scheduler}`,
      `--authorization-kubeconfig=${i.kubeconfigs.scheduler}`,
      "--secure-port=0",
      "--leader-elect=false",
      "--profiling=false",
      "--v=1",
    ],
  };
}

/**
 * One kwok process per node, each the simulated kubelet of exactly one node: stopping
 * a node's process (SIGSTOP) stops its Lease heartbeats the way a dead kubelet or a
 * paused kind container does, and the real node-lifecycle controller reacts.
 */
export function kwokArgs(i: FlagInputs, nodeName: string): string[] {
  return [
    `--kubeconfig=${i.kubeconfigs.kwok}`,
    `--config=${i.stageConfig}`,
    "--enable-crds=Stage",
    `--manage-single-node=${nodeName}`,
    `--node-lease-duration-seconds=${topo.LEASE_DURATION_S}`,
  ];
}

/**
 * Scale mode: one kwok process per zone, the kubelet of every node labelled
 * KWOK_GROUP_LABEL=`group`. kwok passes a label selector to its node watch, so a node
 * relabelled out of it arrives as deleted and the process stops renewing its Lease (an
 * annotation selector is filtered in kwok itself and would not let a node go).
 */
export function kwokGroupArgs(i: FlagInputs, group: string): string[] {
  return [
    `--kubeconfig=${i.kubeconfigs.kwok}`,
    `--config=${i.stageConfig}`,
    "--enable-crds=Stage",
    `--manage-nodes-with-label-selector=${topo.KWOK_GROUP_LABEL}=${group}`,
    `--node-lease-duration-seconds=${topo.LEASE_DURATION_S}`,
  ];
}
