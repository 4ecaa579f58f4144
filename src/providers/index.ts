import type { Logger } from "../util/log.ts";
import { UsageError } from "../errors.ts";
import type { ClusterProvider, StartedCluster } from "./provider.ts";
import { localProvider } from "./local/index.ts";

export const DEFAULT_CLUSTER_NAME = "kubedrill";
export const PROVIDERS = ["auto", "local", "kind", "k3s", "kubeconfig"] as const;

export interface StartClusterOptions {
  provider: string;
  name: string;
  kubeconfig?: string;
  context?: string;
  allowContexts?: string[];
  log: Logger;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Picks the provider (auto: kind when Docker and kind answer, else local) and starts a cluster. */
export async function startCluster(opts: StartClusterOptions): Promise<StartedCluster> {
  const provider = await resolveProvider(opts);
  return provider.start({ name: opts.name, log: opts.log, signal: opts.signal });
}

async function resolveProvider(opts: StartClusterOptions): Promise<ClusterProvider> {
  switch (opts.provider) {
    case "local":
    case "auto":
      return localProvider({ env: opts.env });
    default:
      throw new UsageError(`--provider ${opts.provider}: expected one of ${PROVIDERS.join(", ")}`);
  }
}
