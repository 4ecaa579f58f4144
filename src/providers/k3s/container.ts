import { NotApplicableError } from "../../errors.ts";

/** A started k3s container, as the provider needs it (tests pass a fake). */
export interface K3sHandle {
  /** Kubeconfig text pointing at the mapped API port on this host. */
  kubeConfig: string;
  /** The container's name (for messages). */
  containerName: string;
  exec(command: string[]): Promise<{ exitCode: number; output: string }>;
  stop(): Promise<void>;
}

export type K3sStarter = (
  image: string,
  opts: { args: string[]; labels: Record<string, string> },
) => Promise<K3sHandle>;

/** The packages the k3s provider loads, only when it is chosen (optional peer dependencies of kubedrill). */
export const K3S_PACKAGES = ["testcontainers", "@testcontainers/k3s"] as const;

/**
 * Loads one of K3S_PACKAGES. They are not installed with kubedrill (117 packages for this
 * one provider); when one is missing the error says how to install them.
 */
export async function loadK3sPackage<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw err;
    throw new NotApplicableError(
      `the k3s provider needs ${K3S_PACKAGES.join(" and ")}, which kubedrill does not install by default: run \`npm install ${K3S_PACKAGES.map((p) => `${p}@^11`).join(" ")}\` where kubedrill is installed (add -g for a global install)`,
      { cause: err },
    );
  }
}

/** Describes the reachable container runtime, or throws when there is none. */
export type RuntimeDetector = () => Promise<string>;

/**
 * Pinned k3s image: Kubernetes 1.34 with k3s's bundled local-path provisioner.
 * (Tags are `v<k8s version>-k3s<n>`; the `+` of the k3s version becomes `-`.)
 */
export const K3S_IMAGE = "rancher/k3s:v1.34.3-k3s1";

/** testcontainers' own runtime detection (the same strategies it uses to start containers). */
export const testcontainersRuntime: RuntimeDetector = async () => {
  const { getContainerRuntimeClient } = await loadK3sPackage(() => import("testcontainers"));
  const client = await getContainerRuntimeClient();
  const rt = client.info.containerRuntime;
  return `container runtime at ${rt.host} (${rt.operatingSystem}, ${rt.architecture})`;
};

/**
 * Starts k3s with @testcontainers/k3s. testcontainers' Ryuk sidecar removes the
 * container if this process dies without stopping it.
 */
export const testcontainersK3s: K3sStarter = async (image, opts) => {
  const { K3sContainer } = await loadK3sPackage(() => import("@testcontainers/k3s"));
  const started = await new K3sContainer(image).withCommand(opts.args).withLabels(opts.labels).start();
  return {
    kubeConfig: started.getKubeConfig(),
    containerName: started.getName().replace(/^\//, ""),
    exec: async (command) => {
      const r = await started.exec(command);
      return { exitCode: r.exitCode, output: r.output };
    },
    stop: async () => {
      await started.stop();
    },
  };
};
