import { httpGet } from "../../util/http.ts";
import { realDataPlane } from "../../dataplane/real.ts";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterError, UsageError, withContext } from "../../errors.ts";
import { systemClock, type Clock } from "../../util/clock.ts";
import type { Logger } from "../../util/log.ts";
import { revertible } from "../../sdk/revertible.ts";
import type { FillDiskSettings } from "../shared/filler-pod.ts";
import type { KubeFactory } from "../shared/kube-factory.ts";
import { nodeCondition, waitForNodesReady } from "../shared/wait-nodes.ts";
import type { ClusterProvider, StartOptions, StartedCluster } from "../provider.ts";
import { kindActions, kindNodes } from "./actions.ts";
import { checkAddonNames, installAddons, type AddonName } from "./addons.ts";
import { kindApplicable } from "./applicable.ts";
import { DEFAULT_KIND_CONFIG, deriveKindConfig, readKindConfig } from "./config.ts";
import { describeFailure, processRunner, type ProcessRunner } from "../../util/process.ts";
import { AUTH_REGISTRY_HOST, PRIVATE_APP_IMAGE } from "../shared/images/names.ts";
import { unblockNodes } from "./registry-block.ts";
import { startKindRegistries, type KindRegistries } from "./registries.ts";

export interface KindProviderOptions {
  createKube: KubeFactory;
  /** Default: the repository's kind-config.yaml. */
  configPath?: string;
  /** Add-ons the scenarios declare; calico makes the provider disable kindnet. */
  addons?: AddonName[];
  /** `--image` for kind (e.g. a pinned kindest/node); default: kind's own. */
  nodeImage?: string;
  /** Labels what the harness creates (filler pods); default: the cluster name. */
  runId?: string;
  /** Reuse an existing cluster of the same name (and leave it running on stop). */
  reuse?: boolean;
  env?: NodeJS.ProcessEnv;
  run?: ProcessRunner;
  clock?: Clock;
  tmpRoot?: string;
  createTimeoutMs?: number;
  nodesReadyTimeoutMs?: number;
  dockerInfoTimeoutMs?: number;
  fillDisk?: FillDiskSettings;
  /**
   * Builds the binaries kubedrill's registries serve images of (the registry's htpasswd tool
   * and our app; Go). Given, each start runs the two registry containers on the kind network
   * (registries.ts); absent, or when they cannot start, the cluster has none, and the
   * scenarios that need them are skipped with the reason.
   */
  imageBinaries?: (o: { log: Logger; signal?: AbortSignal }) => Promise<{ registry: string; app: string }>;
}

export interface StartedKindCluster extends StartedCluster {
  readonly provider: "kind";
  /** Installs add-ons after start (calico only works if the cluster was created for it). */
  installAddons(names: AddonName[]): Promise<void>;
}

interface KindProvider extends ClusterProvider {
  readonly name: "kind";
  start(opts: StartOptions): Promise<StartedKindCluster>;
}

/** kind: a cluster name is a DNS label; kind adds `-control-plane` / `-worker6`. */
const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** A multi-node cluster in Docker containers, created and deleted with the kind CLI. */
export function kindProvider(opts: KindProviderOptions): KindProvider {
  const env = opts.env ?? process.env;
  const run = opts.run ?? processRunner(env);
  const clock = opts.clock ?? systemClock;
  const addons = checkAddonNames(opts.addons ?? []);
  const configPath = opts.configPath ?? DEFAULT_KIND_CONFIG;

  return {
    name: "kind",
    applicable: () =>
      kindApplicable({
        run,
        env,
        binaries: ["kind", "docker", ...(addons.length > 0 ? ["kubectl"] : [])],
        timeoutMs: opts.dockerInfoTimeoutMs ?? 10_000,
      }),

    async start(start: StartOptions): Promise<StartedKindCluster> {
      const name = start.name;
      if (!NAME.test(name)) {
        throw new UsageError(
          `kind cluster name "${name}" must be a lower-case DNS label of at most 40 characters (letters, digits, "-")`,
        );
      }
      const log = start.log.child({ provider: "kind", cluster: name });
      const config = await readKindConfig(configPath);
      const reused = await clusterExists(run, name);
      if (reused && !opts.reuse) {
        throw new UsageError(
          `a kind cluster named "${name}" already exists; kubedrill will neither create over it nor delete it. Choose another name, reuse it, or delete it with: kind delete cluster --name ${name}`,
        );
      }
      const tmp = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), "kubedrill-kind-"));
      const kubeconfigPath = join(tmp, "kubeconfig");
      const context = `kind-${name}`;
      const installed = new Set<AddonName>();
      const withCalico = addons.includes("calico");
      let registries: KindRegistries | undefined;
      try {
        if (reused) {
          await writeKubeconfig(run, name, kubeconfigPath);
          log.info(`reusing kind cluster "${name}"`);
        } else {
          let cfg = configPath;
          if (withCalico && !config.disableDefaultCNI) {
            cfg = join(tmp, "kind-config.yaml");
            await writeFile(cfg, deriveKindConfig(config.text, { disableDefaultCNI: true }));
          }
          // Without a CNI the control plane cannot turn Ready, so kind's own wait is skipped.
          const args = [
            "create",
            "cluster",
            "--name",
            name,
            "--config",
            cfg,
            "--wait",
            withCalico ? "0s" : "120s",
            "--kubeconfig",
            kubeconfigPath,
          ];
          if (opts.nodeImage) args.push("--image", opts.nodeImage);
          log.info(`creating kind cluster "${name}" with ${config.nodes} nodes`);
          const created = await run(["kind", ...args], {
            timeoutMs: opts.createTimeoutMs ?? 600_000,
            signal: start.signal,
          });
          if (created.exitCode !== 0) throw new ClusterError(describeFailure(created, opts.createTimeoutMs ?? 600_000));
        }
        const kube = opts.createKube(kubeconfigPath, { context });
        const install = async (names: AddonName[]) => {
          const todo = checkAddonNames(names).filter((n) => !installed.has(n));
          await installAddons({ run, kubeconfigPath, context, names: todo, log, signal: start.signal });
          todo.forEach((n) => installed.add(n));
        };
        if (withCalico && !reused) await install(["calico"]);
        const nodes = await waitForNodesReady(kube, {
          expected: reused ? 1 : config.nodes,
          timeoutMs: opts.nodesReadyTimeoutMs ?? 180_000,
          clock,
          signal: start.signal,
        });
        warnDiskPressure(
          nodes.filter((n) => nodeCondition(n, "DiskPressure") === "True").map((n) => n.metadata.name ?? "?"),
          log,
        );
        await install(addons.filter((a) => a !== "calico"));
        registries = await startRegistries(opts, { run, name, dir: tmp, log, reused, signal: start.signal });
        const served = registries;

        const stop = revertible(async () => {
          try {
            // first: the auth registry's htpasswd is mounted from tmp
            await served?.stop();
            if (!reused) await deleteCluster(run, name, log);
          } finally {
            await rm(tmp, { recursive: true, force: true });
          }
        });
        const cluster: StartedKindCluster = {
          provider: "kind",
          name,
          kubeconfigPath,
          // src/providers/capabilities.ts: real nodes and CoreDNS; kubedrill's images, the registry
          // that requires credentials and the node firewall when its registries run
          capabilities: {
            dynamicProvisioner: "rancher.io/local-path",
            realDataPlane: true,
            clusterDNS: true,
            ...(served
              ? {
                  kubedrillImages: true,
                  authRegistry: true,
                  nodeEgressFirewall: true,
                  registry: { host: AUTH_REGISTRY_HOST, image: PRIVATE_APP_IMAGE, ...served.credentials },
                }
              : {}),
          },
          actions: kindActions({
            run,
            clusterName: name,
            kube,
            runId: opts.runId ?? name,
            log,
            clock,
            fillDisk: opts.fillDisk,
            ...(served ? { registries: [served.open, served.auth] } : {}),
          }),
          // kind-config.yaml publishes the ingress-nginx node's port 80 on 127.0.0.1:80
          dataPlane: realDataPlane({
            kubeconfig: kubeconfigPath,
            ...(context ? { context } : {}),
            run,
            ingressURL: "http://127.0.0.1:80",
            fetch: httpGet, // fetch() would drop the Host header
          }),
          network: reused ? {} : { podCIDR: config.podSubnet, serviceCIDR: config.serviceSubnet },
          stop: stop.revert,
          [Symbol.asyncDispose]: stop.revert,
          async installAddons(names) {
            if (checkAddonNames(names).includes("calico") && !installed.has("calico")) {
              throw new UsageError(
                `calico must be declared before kind cluster "${name}" is created (it needs disableDefaultCNI); add it to the provider's addons`,
              );
            }
            await install(names);
          },
        };
        return cluster;
      } catch (err) {
        await registries
          ?.stop()
          .catch((e: unknown) =>
            log.error(`removing the registries after a failed start: ${e instanceof Error ? e.message : String(e)}`),
          );
        if (!reused)
          await deleteCluster(run, name, log).catch((e: unknown) =>
            log.error(`cleanup after a failed start: ${e instanceof Error ? e.message : String(e)}`),
          );
        await rm(tmp, { recursive: true, force: true });
        // Interrupted: the caller's reason (e.g. AbortedError) decides the exit status.
        if (start.signal?.aborted) throw start.signal.reason;
        throw withContext(`starting kind cluster "${name}"`, err);
      }
    },
  };
}

/**
 * kubedrill's registries for this cluster, when the provider can build their images: a
 * failure is logged with its reason and leaves the cluster without them (the scenarios
 * that need them are skipped, each saying why), except an interruption, which stops the
 * start. On a reused cluster, a registry block a crashed run left on its nodes goes first.
 */
async function startRegistries(
  opts: KindProviderOptions,
  o: { run: ProcessRunner; name: string; dir: string; log: Logger; reused: boolean; signal?: AbortSignal },
): Promise<KindRegistries | undefined> {
  if (!opts.imageBinaries) return undefined;
  try {
    const nodes = await kindNodes(o.run, o.name);
    if (o.reused) await unblockNodes({ run: o.run, log: o.log }, nodes);
    const binaries = await opts.imageBinaries({ log: o.log, ...(o.signal ? { signal: o.signal } : {}) });
    return await startKindRegistries({
      run: o.run,
      clusterName: o.name,
      nodes,
      dir: o.dir,
      log: o.log,
      binaries,
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (err) {
    if (o.signal?.aborted) throw err;
    o.log.warn(
      `kind: kubedrill's registries are not running, so scenarios that need its images, a registry that requires credentials or the node firewall will be skipped: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
}

async function clusterExists(run: ProcessRunner, name: string): Promise<boolean> {
  const r = await run(["kind", "get", "clusters"], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new ClusterError(`listing kind clusters: ${describeFailure(r, 30_000)}`);
  return r.stdout.split("\n").some((l) => l.trim() === name);
}

async function writeKubeconfig(run: ProcessRunner, name: string, path: string): Promise<void> {
  const r = await run(["kind", "get", "kubeconfig", "--name", name], { timeoutMs: 30_000 });
  if (r.exitCode !== 0)
    throw new ClusterError(`reading the kubeconfig of kind cluster "${name}": ${describeFailure(r, 30_000)}`);
  await writeFile(path, r.stdout.endsWith("\n") ? r.stdout : `${r.stdout}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** `kind delete cluster` succeeds when the cluster is already gone, which keeps stop() idempotent. */
async function deleteCluster(run: ProcessRunner, name: string, log: Logger): Promise<void> {
  log.info(`deleting kind cluster "${name}"`);
  const r = await run(["kind", "delete", "cluster", "--name", name], { timeoutMs: 300_000 });
  if (r.exitCode !== 0) throw new ClusterError(`deleting kind cluster "${name}": ${describeFailure(r, 300_000)}`);
}

function warnDiskPressure(nodes: string[], log: Logger): void {
  if (nodes.length === 0) return;
  log.warn(
    `nodes ${nodes.join(", ")} already report DiskPressure: the host filesystem behind the kind nodes is above kubelet's eviction threshold (kind-config.yaml), so disk scenarios will not be meaningful`,
  );
}
