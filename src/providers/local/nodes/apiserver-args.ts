import type { ClientCert } from "./certs.ts";

/**
 * The API server's flags for real nodes: it listens on the host's end of the cluster's
 * router link (reachable from the node namespaces, not from outside the machine), publishes
 * that address in the `kubernetes` Service, reaches kubelets by InternalIP with its own
 * client certificate, and authorizes kubelets with the Node authorizer and NodeRestriction.
 */
export function realNodeApiServerArgs(base: string[], o: { hostIP: string; kubeletClient: ClientCert }): string[] {
  const drop = ["--bind-address=", "--advertise-address=", "--endpoint-reconciler-type=", "--authorization-mode="];
  return [
    ...base.filter((a) => !drop.some((d) => a.startsWith(d))),
    `--bind-address=${o.hostIP}`,
    `--advertise-address=${o.hostIP}`,
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction",
    "--kubelet-preferred-address-types=InternalIP",
    `--kubelet-client-certificate=${o.kubeletClient.cert}`,
    `--kubelet-client-key=${o.kubeletClient.key}`,
  ];
}
