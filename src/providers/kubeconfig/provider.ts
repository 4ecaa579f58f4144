import { ClusterError, KubedrillError, TimeoutError, withContext } from "../../errors.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { redact } from "../../util/redact.ts";
import { assertContextAllowed, describeAllowance } from "../context-guard.ts";
import { processRunner, type ProcessRunner } from "../../util/process.ts";
import type { ClusterProvider, StartOptions, StartedCluster } from "../provider.ts";
import { foreignActions } from "./actions.ts";
import { discoverCapabilities, discoverNetwork } from "./discover.ts";
import type { FillDiskSettings } from "../shared/filler-pod.ts";
import type { KubeFactory } from "../shared/kube-factory.ts";
import { loadKubeconfig, type ResolveOptions } from "../shared/resolve-kubeconfig.ts";
import { waitForNodesReady } from "../shared/wait-nodes.ts";
import { pinContext } from "./pin-context.ts";

export interface KubeconfigProviderOptions {
  createKube: KubeFactory;
  /** --kubeconfig; otherwise $KUBECONFIG's files (merged as kubectl does), otherwise ~/.kube/config. */
  kubeconfig?: string;
  /** --context; otherwise the file's current-context. */
  context?: string;
  /** --allow-context values; $KUBEDRILL_ALLOW_CONTEXTS (in env) adds more. */
  allowContexts: string[];
  env: NodeJS.ProcessEnv;
  dryRun?: boolean;
  /** What the run will do, shown if the context is refused. */
  plan?: string[];
  /** Lets stopNodes stop (kind) nodes of a cluster kubedrill did not create. */
  allowNodeFaults?: boolean;
  runId?: string;
  homeDir?: string;
  cwd?: string;
  run?: ProcessRunner;
  clock?: Clock;
  nodesReadyTimeoutMs?: number;
  /** Filler limits; the default size limit here is 16 GiB. */
  fillDisk?: FillDiskSettings;
  tmpRoot?: string;
}

/** The started foreign cluster also says which context it talks to. */
export interface StartedForeignCluster extends StartedCluster {
  readonly provider: "kubeconfig";
  readonly context: string;
}

export interface KubeconfigProvider extends ClusterProvider {
  readonly name: "kubeconfig";
  start(opts: StartOptions): Promise<StartedForeignCluster>;
}

/**
 * An existing cluster named by a kubeconfig context. Destructive runs need the context
 * allowed explicitly (guard.ts); stop() leaves the cluster alone.
 */
export function kubeconfigProvider(opts: KubeconfigProviderOptions): KubeconfigProvider {
  const clock = opts.clock ?? systemClock;
  const where: ResolveOptions = {
    kubeconfig: opts.kubeconfig,
    context: opts.context,
    env: opts.env,
    homeDir: opts.homeDir,
    cwd: opts.cwd,
  };

  return {
    name: "kubeconfig",
    async applicable() {
      try {
        const { resolved: r } = await loadKubeconfig(where);
        return { ok: true, detail: `context "${r.context}" from ${r.path}${r.server ? ` (server ${r.server})` : ""}` };
      } catch (err) {
        return { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },

    async start(start: StartOptions): Promise<StartedForeignCluster> {
      // Read once: the guard checks, and the pinned copy is written from, the same data.
      const { resolved, merged } = await loadKubeconfig(where);
      const { context } = resolved;
      const allowance = assertContextAllowed({
        context,
        ...(resolved.server ? { server: resolved.server } : {}),
        allow: opts.allowContexts,
        env: opts.env,
        dryRun: opts.dryRun ?? false,
        plan: opts.plan ?? [
          `run game-day scenarios (apply workloads, inject faults, remediate) against context "${context}"${resolved.server ? ` (server ${resolved.server})` : ""}`,
        ],
      });
      const log = start.log.child({ provider: "kubeconfig", context });
      log.info(
        `using context "${context}" from ${resolved.path}${resolved.server ? ` (server ${resolved.server})` : ""}, allowed by ${describeAllowance(allowance)}`,
      );
      // Every client and every command gets this private copy holding only the allowed context.
      const pinned = await pinContext(merged, context, { tmpRoot: opts.tmpRoot });
      const kube = opts.createKube(pinned.path, { context });
      let capabilities, network;
      try {
        try {
          const version = await kube.serverVersion();
          log.debug(`API server version ${version}`);
        } catch (err) {
          throw new ClusterError(
            `cannot reach the API server of context "${context}"${resolved.server ? ` at ${resolved.server}` : ""}: ${redact(err instanceof Error ? err.message : String(err))}`,
            { cause: err },
          );
        }
        try {
          await waitForNodesReady(kube, { timeoutMs: opts.nodesReadyTimeoutMs ?? 60_000, clock, signal: start.signal });
        } catch (err) {
          if (err instanceof TimeoutError)
            throw withContext(`context "${context}": a game day needs every node Ready first`, err);
          throw err instanceof KubedrillError ? err : withContext(`context "${context}"`, err);
        }
        capabilities = await discoverCapabilities(kube, log);
        network = await discoverNetwork(kube, log);
      } catch (err) {
        await pinned.cleanup();
        throw err;
      }
      // The cluster is not ours: stop() only removes the pinned kubeconfig copy.
      const stop = pinned.cleanup;
      return {
        provider: "kubeconfig",
        context,
        name: start.name,
        kubeconfigPath: pinned.path,
        capabilities,
        network,
        actions: foreignActions({
          kube,
          context,
          runId: opts.runId ?? start.name,
          log,
          allowNodeFaults: opts.allowNodeFaults ?? false,
          run: opts.run ?? processRunner(opts.env),
          env: opts.env,
          clock,
          fillDisk: opts.fillDisk,
        }),
        stop,
        [Symbol.asyncDispose]: stop,
      };
    },
  };
}
