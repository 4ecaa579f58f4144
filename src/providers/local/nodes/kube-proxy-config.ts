import { POD_CIDR } from "../topology.ts";

/**
 * A node's kube-proxy in nftables mode. Conntrack sysctls are global on this kernel, so
 * kube-proxy is told to leave them alone (0 = do not set).
 */
export function kubeProxyConfig(o: { node: string; kubeconfig: string }): string {
  return JSON.stringify(
    {
      apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
      kind: "KubeProxyConfiguration",
      mode: "nftables",
      hostnameOverride: o.node,
      clusterCIDR: POD_CIDR,
      clientConnection: { kubeconfig: o.kubeconfig },
      metricsBindAddress: "127.0.0.1:10249",
      healthzBindAddress: "127.0.0.1:10256",
      conntrack: {
        maxPerCore: 0,
        min: 0,
        tcpEstablishedTimeout: "0s",
        tcpCloseWaitTimeout: "0s",
        udpTimeout: "0s",
        udpStreamTimeout: "0s",
      },
    },
    null,
    2,
  );
}
