import { KUBERNETES_VERSION, kubeVersionLdflags, type Component } from "../components.ts";

/** Built beside the control plane, in its own cache folders, so the control plane's cache key stays as it is. */
export const NODE_COMPONENTS: Component[] = [
  {
    id: "kubernetes-node",
    version: KUBERNETES_VERSION,
    binaries: ["kubelet", "kube-proxy"],
    recipe: {
      kind: "module",
      dir: "node",
      packages: ["k8s.io/kubernetes/cmd/kubelet", "k8s.io/kubernetes/cmd/kube-proxy"],
      ldflags: `-s -w ${kubeVersionLdflags(KUBERNETES_VERSION)}`,
    },
  },
  {
    id: "kubedrill-images",
    version: "v1",
    binaries: ["pause", "app"],
    recipe: { kind: "module", dir: "images", packages: ["./pause", "./app"], ldflags: "-s -w" },
  },
];
