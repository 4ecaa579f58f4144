import type { Kube } from "../../k8s/kube.ts";

/**
 * Makes a Kube for a kubeconfig file (src/k8s/client.ts `createKube` in production).
 * Providers take it as a parameter so tests can hand them a fake cluster.
 */
export type KubeFactory = (kubeconfigPath: string, opts?: { context?: string }) => Kube;
