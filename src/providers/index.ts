import type { Logger } from "../util/log.ts";
import { NotApplicableError, UsageError } from "../errors.ts";
import { createKube } from "../k8s/client.ts";
import type { ClusterProvider, StartedCluster } from "./provider.ts";
import { localProvider } from "./local/index.ts";
import type { NodeMode } from "./local/launcher.ts";
import { kindProvider } from "./kind/provider.ts";
import { buildImageBinaries } from "./local/nodes/images.ts";
import { k3sProvider } from "./k3s/provider.ts";
import { kubeconfigProvider } from "./kubeconfig/provider.ts";
import { chooseProvider } from "./auto.ts";

export { describeGameDayTarget } from "./kubeconfig/target.ts";

export const DEFAULT_CLUSTER_NAME = "kubedrill";
const PROVIDERS = ["auto", "local", "kind", "k3s", "kubeconfig"] as const;

export interface StartClusterOptions {
  provider: string;
  name: string;
  kubeconfig?: string;
  context?: string;
  allowContexts?: string[];
  /** Lets a game day stop nodes of an existing (kind) cluster. */
  allowNodeFaults?: boolean;
  dryRun?: boolean;
  /** What the run would do; shown when a context is refused. */
  plan?: string[];
  runId?: string;
  /** The local provider's nodes: kwok, real, or auto (real where the host supports it). */
  nodes?: NodeMode;
  /** The local provider's scale mode: this many kwok nodes, a kwok process per zone. */
  workers?: number;
  log: Logger;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/**
 * Picks the provider and starts (or attaches to) a cluster. `auto` tries kind first (when
 * Docker and kind answer) and then the embedded local cluster, and logs why each was or
 * was not used.
 */
export async function startCluster(opts: StartClusterOptions): Promise<StartedCluster> {
  const provider = await resolveProvider(opts);
  return provider.start({ name: opts.name, log: opts.log, signal: opts.signal });
}

/** Whether these options make a game day: an existing cluster named by a kubeconfig context. */
export function isGameDay(opts: Pick<StartClusterOptions, "provider" | "kubeconfig" | "context">): boolean {
  return opts.provider === "kubeconfig" || (opts.provider === "auto" && Boolean(opts.kubeconfig || opts.context));
}

export async function resolveProvider(opts: StartClusterOptions): Promise<ClusterProvider> {
  const env = opts.env ?? process.env;
  const make: Record<string, () => ClusterProvider> = {
    local: () =>
      localProvider({
        env,
        ...(opts.nodes ? { nodes: opts.nodes } : {}),
        ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      }),
    kind: () =>
      kindProvider({
        createKube,
        env,
        // kubedrill's images are built from Go as for local real nodes, and served from registry containers
        imageBinaries: (o) => buildImageBinaries({ ...o, env }),
        ...(opts.runId ? { runId: opts.runId } : {}),
      }),
    k3s: () => k3sProvider({ createKube, ...(opts.runId ? { runId: opts.runId } : {}) }),
    kubeconfig: () =>
      kubeconfigProvider({
        createKube,
        env,
        allowContexts: opts.allowContexts ?? [],
        ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...(opts.plan ? { plan: opts.plan } : {}),
        ...(opts.allowNodeFaults ? { allowNodeFaults: true } : {}),
        ...(opts.runId ? { runId: opts.runId } : {}),
      }),
  };
  if (opts.workers !== undefined && (isGameDay(opts) || (opts.provider !== "auto" && opts.provider !== "local")))
    throw new UsageError(
      `--workers is for the local provider's kwok nodes, not ${isGameDay(opts) ? "an existing cluster (--kubeconfig/--context)" : `--provider ${opts.provider}`}`,
    );
  if (opts.provider === "auto") {
    if (isGameDay(opts)) return make.kubeconfig!();
    // --workers asks for the local cluster's scale mode: no other provider has it
    if (opts.workers !== undefined) return applicableOrThrow("local", make.local!());
    const { provider, considered } = await chooseProvider([make.kind!(), make.local!()], opts.log);
    for (const c of considered) if (!c.ok) opts.log.info(`provider ${c.name} not used: ${c.reason}`);
    return provider;
  }
  const factory = make[opts.provider];
  if (!factory) throw new UsageError(`--provider ${opts.provider}: expected one of ${PROVIDERS.join(", ")}`);
  return applicableOrThrow(opts.provider, factory());
}

async function applicableOrThrow(name: string, provider: ClusterProvider): Promise<ClusterProvider> {
  const verdict = await provider.applicable();
  if (!verdict.ok) throw new NotApplicableError(`--provider ${name} cannot be used here: ${verdict.reason}`);
  return provider;
}
