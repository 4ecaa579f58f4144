import { ClusterError, UsageError } from "../../errors.ts";
import type { Logger } from "../../util/log.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";

export type AddonName = "ingress-nginx" | "calico";

interface Addon {
  name: AddonName;
  version: string;
  /** A pinned manifest, applied with `kubectl apply --server-side`. */
  manifest: string;
  /** kubectl arguments (after --kubeconfig/--context) that return once the add-on works. */
  wait: string[];
}

/**
 * Pinned add-ons. ingress-nginx's "kind" manifest runs the controller with hostPorts
 * 80/443 on the node labelled ingress-ready=true (the control plane in kind-config.yaml).
 * Calico's manifest (the Kubernetes-API datastore install) detects kubeadm's pod CIDR
 * (10.244.0.0/16), and needs a cluster created with `disableDefaultCNI: true`.
 * Server-side apply: calico's CRDs are too large for client-side apply's annotation.
 */
const ADDONS: Record<AddonName, Addon> = {
  "ingress-nginx": {
    name: "ingress-nginx",
    version: "controller-v1.12.1",
    manifest:
      "https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml",
    wait: [
      "--namespace",
      "ingress-nginx",
      "rollout",
      "status",
      "deployment/ingress-nginx-controller",
      "--timeout=180s",
    ],
  },
  calico: {
    name: "calico",
    version: "v3.29.3",
    manifest: "https://raw.githubusercontent.com/projectcalico/calico/v3.29.3/manifests/calico.yaml",
    wait: ["--namespace", "kube-system", "rollout", "status", "daemonset/calico-node", "--timeout=300s"],
  },
};

/** Calico first: without a CNI no node turns Ready and nothing else can start. */
const ORDER: AddonName[] = ["calico", "ingress-nginx"];

export function checkAddonNames(names: string[]): AddonName[] {
  const unknown = names.filter((n) => !(n in ADDONS));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown add-on${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `"${n}"`).join(", ")} (known: ${Object.keys(ADDONS).join(", ")})`,
    );
  }
  return ORDER.filter((n) => names.includes(n));
}

interface InstallAddonsOptions {
  run: ProcessRunner;
  kubeconfigPath: string;
  context: string;
  names: AddonName[];
  log: Logger;
  signal?: AbortSignal;
}

/** Applies each add-on's pinned manifest with kubectl and waits for it to roll out. */
export async function installAddons(opts: InstallAddonsOptions): Promise<void> {
  const base = ["--kubeconfig", opts.kubeconfigPath, "--context", opts.context];
  for (const name of checkAddonNames(opts.names)) {
    const addon = ADDONS[name];
    opts.log.info(`installing ${name} ${addon.version}`, { addon: name });
    const applied = await opts.run(
      ["kubectl", ...base, "apply", "--server-side", "--force-conflicts", "-f", addon.manifest],
      { timeoutMs: 180_000, signal: opts.signal },
    );
    if (applied.exitCode !== 0)
      throw new ClusterError(`installing ${name} ${addon.version}: ${describeFailure(applied, 180_000)}`);
    const ready = await opts.run(["kubectl", ...base, ...addon.wait], { timeoutMs: 330_000, signal: opts.signal });
    if (ready.exitCode !== 0)
      throw new ClusterError(`waiting for ${name} ${addon.version} to roll out: ${describeFailure(ready, 330_000)}`);
  }
}
