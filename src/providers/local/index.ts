import { httpGet } from "../../util/http.ts";
import type { Capabilities, ClusterProvider, StartedCluster, StartOptions } from "../provider.ts";
import { createKube } from "../../k8s/client.ts";
import { once } from "../../util/disposable.ts";
import { upLocal, downLocal, installStages, type NodeMode } from "./launcher.ts";
import type { Kube } from "../../k8s/kube.ts";
import {
  localActions,
  reconnectAllNodes,
  unblockAllRegistries,
  repairModelledFaults,
  restoreStoppedNodes,
  resumeAllNodes,
} from "./actions.ts";
import { leaseVerdict } from "../../engine/heartbeat.ts";
import { POD_CIDR, SERVICE_CIDR } from "./topology.ts";
import { LOCAL_PROVISIONER } from "./provisioner.ts";
import { execa } from "execa";
import { modelledDataPlane } from "../../dataplane/index.ts";
import { realDataPlane } from "../../dataplane/real.ts";
import { restoreClusterDNS } from "../shared/cluster-dns.ts";
import { AUTH_REGISTRY_CREDENTIALS, AUTH_REGISTRY_HOST, PRIVATE_APP_IMAGE } from "../shared/images/names.ts";
import { processRunner } from "../../util/process.ts";

/**
 * The embedded default: a real control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler) built from Go modules, with kwok as the
 * kubelets. `start` reuses a running cluster of the same name and leaves it running;
 * a cluster it started itself is stopped by `stop()`.
 */
export function localProvider(
  opts: { env?: NodeJS.ProcessEnv; keep?: boolean; nodes?: NodeMode; workers?: number } = {},
): ClusterProvider {
  const env = opts.env ?? process.env;
  return {
    name: "local",
    async applicable() {
      for (const [cmd, args, why] of [
        ["go", ["version"], "the Go toolchain (go) is needed to build the control plane"],
        ["openssl", ["version"], "openssl is needed to make the cluster's certificates (apt-get install openssl)"],
      ] as const) {
        try {
          await execa(cmd, [...args], { env, timeout: 10_000 });
        } catch {
          return { ok: false, reason: why };
        }
      }
      return { ok: true, detail: "real control plane built from Go modules; real or kwok nodes (--nodes)" };
    },
    async start(so: StartOptions): Promise<StartedCluster> {
      const { state, reused } = await upLocal({
        name: so.name,
        log: so.log,
        signal: so.signal,
        env,
        nodes: opts.nodes ?? "kwok",
        ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      });
      const kube = createKube(state.kubeconfig);
      const others = reused ? await liveRuns(kube) : [];
      if (others.length > 0) {
        // another kubedrill is running scenarios on this cluster: its faults are not leftovers
        so.log.info(
          `other runs are active on local cluster "${so.name}" (${others.join(", ")}): not repairing or updating its simulated kubelet`,
        );
      } else {
        const resumed = [
          ...resumeAllNodes(state),
          ...(await reconnectAllNodes(state)).map((n) => `node ${n}`),
          ...(await unblockAllRegistries(state)).map((n) => `node ${n}'s path to the registry`),
          ...(await restoreClusterDNS(kube)).map((d) => `the cluster DNS ${d}`),
          ...(await restoreStoppedNodes(state, kube)).map((n) => `node ${n}`),
        ];
        if (resumed.length > 0) so.log.warn(`resumed what a previous run left stopped: ${resumed.join(", ")}`);
        const repaired = await repairModelledFaults(state, kube);
        if (repaired.length > 0)
          so.log.warn(`freed the simulated full disks a previous run left behind: ${repaired.join(", ")}`);
        // a cluster started by an older kubedrill gets this version's stages
        if (reused)
          await installStages(kube, { log: so.log, name: so.name, ...(so.signal ? { signal: so.signal } : {}) });
      }
      const stop = once(async () => {
        if (!reused && !opts.keep) await downLocal(so.name, env);
      });
      return {
        provider: "local",
        name: so.name,
        kubeconfigPath: state.kubeconfig,
        capabilities: {
          dynamicProvisioner: LOCAL_PROVISIONER,
          ...localCapabilities(state.nodes ?? "kwok"),
          ...(state.nodes === "real"
            ? {
                registry: {
                  host: AUTH_REGISTRY_HOST,
                  image: PRIVATE_APP_IMAGE,
                  ...AUTH_REGISTRY_CREDENTIALS,
                },
              }
            : {}),
        },
        actions: localActions(state, kube),
        network: { podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR },
        // real nodes have a real data plane: probes connect from inside pods and go through the Ingress controller
        dataPlane:
          state.nodes === "real"
            ? realDataPlane({
                kubeconfig: state.kubeconfig,
                run: processRunner(env),
                ...(state.ingressURL ? { ingressURL: state.ingressURL } : {}),
                fetch: httpGet, // fetch() would drop the Host header
              })
            : modelledDataPlane({ podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR }),
        stop,
        [Symbol.asyncDispose]: stop,
      };
    },
  };
}

/**
 * What the local cluster has (src/providers/capabilities.ts): real nodes run a real data
 * plane, the registries (kubedrill's images, and one that requires credentials), node
 * network namespaces kubedrill can firewall, CoreDNS and a disk per node; kwok nodes none
 * of these (their data plane is a model).
 */
export function localCapabilities(nodes: "kwok" | "real"): Capabilities {
  const real = nodes === "real";
  return {
    nodes,
    realDataPlane: real,
    kubedrillImages: real,
    authRegistry: real,
    nodeEgressFirewall: real,
    clusterDNS: real,
    nodeDisk: real,
  };
}

/** Runs whose heartbeat Lease says they are alive (src/engine/heartbeat.ts leaseVerdict). */
export async function liveRuns(kube: Kube): Promise<string[]> {
  const { items } = await kube.list(
    { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
    { namespace: "default", labelSelector: "app.kubernetes.io/managed-by=kubedrill" },
  );
  const now = Date.now();
  return items.filter((l) => leaseVerdict(l, now).alive).map((l) => l.metadata.name!.replace(/^kubedrill-run-/, ""));
}
