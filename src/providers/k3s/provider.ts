import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterError, NotApplicableError, withContext } from "../../errors.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY } from "../../k8s/types.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import { redact } from "../../util/redact.ts";
import { revertible } from "../../sdk/revertible.ts";
import { startDiskFiller, type FillDiskSettings } from "../shared/filler-pod.ts";
import type { KubeFactory } from "../shared/kube-factory.ts";
import { waitForNodesReady } from "../shared/wait-nodes.ts";
import type { Applicability, ClusterProvider, StartOptions, StartedCluster } from "../provider.ts";
import {
  K3S_IMAGE,
  testcontainersK3s,
  testcontainersRuntime,
  type K3sStarter,
  type RuntimeDetector,
} from "./container.ts";

/** The project's fixed CIDRs (shared with kind-config.yaml and the local provider). */
const POD_CIDR = "10.244.0.0/16";
const SERVICE_CIDR = "10.96.0.0/16";

export interface K3sProviderOptions {
  createKube: KubeFactory;
  image?: string;
  runId?: string;
  clock?: Clock;
  tmpRoot?: string;
  /** Bound on the runtime check, so applicable() never hangs (default 5000 ms). */
  runtimeCheckTimeoutMs?: number;
  nodesReadyTimeoutMs?: number;
  detectRuntime?: RuntimeDetector;
  startContainer?: K3sStarter;
  fillDisk?: FillDiskSettings;
}

/** A one-node k3s cluster in a container, through testcontainers. */
export function k3sProvider(opts: K3sProviderOptions): ClusterProvider {
  const clock = opts.clock ?? systemClock;
  const image = opts.image ?? K3S_IMAGE;

  return {
    name: "k3s",
    applicable: () =>
      detectWithin(opts.detectRuntime ?? testcontainersRuntime, opts.runtimeCheckTimeoutMs ?? 5000, clock),

    async start(start: StartOptions): Promise<StartedCluster> {
      const log = start.log.child({ provider: "k3s", cluster: start.name });
      const runId = opts.runId ?? start.name;
      const args = ["server", "--disable=traefik", `--cluster-cidr=${POD_CIDR}`, `--service-cidr=${SERVICE_CIDR}`];
      log.info(`starting k3s (${image})`);
      let handle;
      try {
        handle = await (opts.startContainer ?? testcontainersK3s)(image, {
          args,
          labels: { [LABEL_RUN_ID]: runId, [LABEL_MANAGED]: MANAGED_BY },
        });
      } catch (err) {
        throw withContext(
          `starting k3s container ${image}`,
          new ClusterError(redact(err instanceof Error ? err.message : String(err)), { cause: err }),
        );
      }
      const container = handle;
      const tmp = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), "kubedrill-k3s-"));
      const stop = revertible(async () => {
        try {
          await container.stop();
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      });
      try {
        const kubeconfigPath = join(tmp, "kubeconfig");
        await writeFile(kubeconfigPath, container.kubeConfig, { mode: 0o600 });
        const kube = opts.createKube(kubeconfigPath);
        await waitForNodesReady(kube, {
          expected: 1,
          timeoutMs: opts.nodesReadyTimeoutMs ?? 120_000,
          clock,
          signal: start.signal,
        });
        return {
          provider: "k3s",
          name: start.name,
          kubeconfigPath,
          // src/providers/capabilities.ts: a real node (containerd, flannel) and CoreDNS
          capabilities: {
            dynamicProvisioner: "rancher.io/local-path",
            realDataPlane: true,
            clusterDNS: true,
          },
          network: { podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR },
          actions: {
            async stopNodes() {
              throw new NotApplicableError(
                "stopNodes: k3s runs a single node that is also the control plane, so stopping it stops the cluster; use the kind provider for node outages",
              );
            },
            fillDisk: (nodeName) => startDiskFiller({ ...opts.fillDisk, kube, nodeName, runId, clock, log }),
            async collectImageGarbage(nodeName) {
              const r = await container.exec(["crictl", "rmi", "--prune"]);
              if (r.exitCode !== 0)
                throw new ClusterError(
                  `pruning unused images on node ${nodeName} (container ${container.containerName}) failed (exit ${r.exitCode}): ${redact(r.output.trim())}`,
                );
              log.info(`pruned unused images on node ${nodeName}`, { node: nodeName });
            },
          },
          stop: stop.revert,
          [Symbol.asyncDispose]: stop.revert,
        };
      } catch (err) {
        await stop
          .revert()
          .catch((e: unknown) =>
            log.error(`cleanup after a failed start: ${e instanceof Error ? e.message : String(e)}`),
          );
        if (start.signal?.aborted) throw start.signal.reason;
        throw withContext(`starting k3s cluster "${start.name}"`, err);
      }
    },
  };
}

/** Runs the runtime check, answering "not applicable" if it fails or takes longer than `timeoutMs`. */
async function detectWithin(detect: RuntimeDetector, timeoutMs: number, clock: Clock): Promise<Applicability> {
  const timer = new AbortController();
  const timeout = clock.sleep(timeoutMs, timer.signal).then(
    (): Applicability => ({
      ok: false,
      reason: `no container runtime answered within ${timeoutMs}ms (k3s runs in a container through testcontainers)`,
    }),
    () => undefined,
  );
  const check = detect().then(
    (detail): Applicability => ({ ok: true, detail }),
    (err: unknown): Applicability => ({
      ok: false,
      reason:
        err instanceof NotApplicableError
          ? err.message
          : `no reachable container runtime for k3s (testcontainers: ${redact(err instanceof Error ? err.message : String(err))}); start Docker, or set DOCKER_HOST`,
    }),
  );
  try {
    return (await Promise.race([check, timeout]))!;
  } finally {
    timer.abort();
  }
}
