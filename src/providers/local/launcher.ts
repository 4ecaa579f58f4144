import { statSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { ClusterError, TimeoutError } from "../../errors.ts";
import { AsyncStack } from "../../util/disposable.ts";
import type { Logger } from "../../util/log.ts";
import { formatMs } from "../../util/duration.ts";
import { API_CONCURRENCY, settleLimited } from "../../util/limit.ts";
import { createKube } from "../../k8s/client.ts";
import type { Kube } from "../../k8s/kube.ts";
import type { KObject } from "../../k8s/types.ts";
import { ensureBinaries, type BinaryPaths } from "./build.ts";
import { KUBERNETES_VERSION } from "./components.ts";
import { createPki, writeKubeconfig, type Identity } from "./pki.ts";
import { freePorts, logTail, startProcess, stopProcess, isOurs, type ProcessRecord } from "./processes.ts";
import { clusterDir, ensureStateRoot, kubeconfigFile, kwokAssetDir, provisionerMain } from "./paths.ts";
import { RUNNING_COMPILED } from "../../util/package-root.ts";
import { readState, writeState, deadProcesses, type LocalClusterState } from "./state.ts";
import { acquireDirLock, removeStaleLock } from "./lock.ts";
import * as topo from "./topology.ts";
import { controlPlaneArgs, kwokArgs, kwokGroupArgs } from "./flags.ts";
import { kwokGroups } from "./kwok-groups.ts";
import { KwokWatchdog } from "./kwok-watchdog.ts";
import { prepareRealNodes, type RealNodes } from "./nodes/real-nodes.ts";
import { cleanupRealNodes, realNodesIntact } from "./nodes/cleanup.ts";
import { realNodeSupport } from "./nodes/support.ts";
import { INGRESS_PORT } from "./nodes/ingress.ts";
import { AUTH_REGISTRY_PORT, REGISTRY_PORT } from "./nodes/registry.ts";

export interface UpOptions {
  name: string;
  log: Logger;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /**
   * kwok (default): simulated kubelets; real: real kubelets, containerd and pod networking;
   * auto: a running cluster of that name as it is, else real where the host supports it.
   */
  nodes?: NodeMode;
  /**
   * Scale mode: this many kwok nodes over the three zones, one kwok process per zone
   * (kwok nodes only). Absent: the default six nodes, a kwok process each.
   */
  workers?: number;
}

export type NodeMode = "kwok" | "real" | "auto";

/** What `auto` becomes on this host, and why (one line for the log). */
export function resolveNodeMode(
  requested: NodeMode,
  support: { ok: true } | { ok: false; reason: string },
): { nodes: "kwok" | "real"; why?: string } {
  if (requested !== "auto") return { nodes: requested };
  return support.ok
    ? { nodes: "real", why: "this host supports real nodes" }
    : { nodes: "kwok", why: `kwok nodes: ${support.reason}` };
}

export interface UpResult {
  state: LocalClusterState;
  /** True when an already running cluster was reused. */
  reused: boolean;
  elapsedMs: number;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function checkName(name: string): void {
  if (!NAME.test(name))
    throw new ClusterError(
      `cluster name "${name}" is not valid: use 1-40 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
}

/** "300 kwok nodes in 3 zones (a kwok process per zone)" or "kwok nodes", for the log. */
export function describeNodes(state: Pick<LocalClusterState, "nodes" | "workers">): string {
  if (state.workers === undefined) return `${state.nodes ?? "kwok"} nodes`;
  return `${state.workers} kwok nodes in ${kwokGroups(state.workers).length} zones (a kwok process per zone)`;
}

/**
 * Brings a local control plane up (or reuses the running one of that name) and returns
 * when every node is Ready. On failure or interruption everything started is stopped and
 * the cluster's folder removed.
 */
export async function upLocal(opts: UpOptions): Promise<UpResult> {
  checkName(opts.name);
  topo.checkScaleOptions(opts);
  const env = opts.env ?? process.env;
  const started = Date.now();
  const dir = clusterDir(opts.name, env);
  await ensureStateRoot(env);
  const lock = await acquireDirLock(`${dir}.lock`, {
    log: opts.log,
    what: `cluster "${opts.name}"`,
    done: () => false,
    signal: opts.signal,
  });
  try {
    const existing = await readState(dir);
    const running = existing ? await runningIntact(existing) : false;
    // --workers means kwok nodes: `auto` becomes kwok, not real
    const requested = opts.nodes === "auto" && opts.workers !== undefined ? "kwok" : (opts.nodes ?? "kwok");
    const runs = existing?.nodes ?? "kwok";
    const shapeFits = opts.workers === undefined || opts.workers === existing?.workers;
    if (existing && running && (requested === "auto" || requested === runs) && shapeFits) {
      opts.log.info(
        `reusing the running local cluster "${opts.name}" (${existing.apiServer}, ${describeNodes(existing)})`,
      );
      return { state: existing, reused: true, elapsedMs: Date.now() - started };
    }
    if (existing && running)
      throw new ClusterError(
        `local cluster "${opts.name}" runs ${describeNodes(existing)}, not ${opts.workers !== undefined ? `${opts.workers} ${requested} nodes` : `${requested} nodes`}: stop it first with \`npx kubedrill cluster down --name ${opts.name}\``,
      );
    const mode = resolveNodeMode(requested, realNodeSupport());
    if (mode.why) opts.log.info(`--nodes auto: ${mode.why}`);
    opts = { ...opts, nodes: mode.nodes };
    if (existing) {
      const dead = deadProcesses(existing);
      const intact = existing.nodes !== "real" || realNodesIntact(dir);
      opts.log.warn(
        `local cluster "${opts.name}" is broken (${dead.map((p) => p.name).join(", ") || (intact ? "API server" : "real nodes")} not running): removing it and starting afresh`,
      );
      await downState(existing);
    }
    await cleanupRealNodes(dir); // what a crashed `up` recorded before it could write its state
    await fs.rm(dir, { recursive: true, force: true });
    const bins = await ensureBinaries({ log: opts.log, env, signal: opts.signal });
    const state = await startFresh(opts, dir, bins, env);
    opts.log.info(
      `local cluster "${opts.name}" is up: ${topo.clusterNodes(state.workers).length} nodes Ready in ${formatMs(Date.now() - started)}`,
    );
    return { state, reused: false, elapsedMs: Date.now() - started };
  } finally {
    await lock?.release();
  }
}

/** Every process of the cluster runs and its API server answers. */
async function runningIntact(existing: LocalClusterState): Promise<boolean> {
  if (deadProcesses(existing).length > 0) return false;
  if (existing.nodes === "real" && !realNodesIntact(existing.dir)) return false;
  // a loaded machine may be slow to answer: never tear down a running cluster on one miss
  return apiServerAnswers(existing.kubeconfig, 10);
}

async function startFresh(
  opts: UpOptions,
  dir: string,
  bins: BinaryPaths,
  env: NodeJS.ProcessEnv,
): Promise<LocalClusterState> {
  const undo = new AsyncStack();
  const processes: ProcessRecord[] = [];
  try {
    await fs.mkdir(dir, { recursive: true });
    undo.defer("remove the cluster folder", () => fs.rm(dir, { recursive: true, force: true }));
    let real: RealNodes | undefined;
    if (opts.nodes === "real") {
      undo.defer("remove the real nodes", () => cleanupRealNodes(dir));
      real = await prepareRealNodes({
        name: opts.name,
        dir,
        log: opts.log,
        env,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
    const pki = await createPki(path.join(dir, "pki"), "10.96.0.1", real ? [real.net.hostIP] : []);
    const [etcdClient, etcdPeer, apiServer] = (await freePorts(3)) as [number, number, number];
    const server = `https://${real?.net.hostIP ?? "127.0.0.1"}:${apiServer}`;
    const kubeconfigs = {} as Record<Identity, string>;
    for (const id of ["admin", "controller-manager", "scheduler", "kwok"] as Identity[]) {
      kubeconfigs[id] = kubeconfigFile(dir, id);
      await writeKubeconfig(kubeconfigs[id], {
        server,
        caCert: pki.caCert,
        token: pki.tokens[id],
        clusterName: opts.name,
        user: id,
      });
    }
    const workers = real ? undefined : opts.workers;
    const inputs = {
      dir,
      pki,
      kubeconfigs,
      ports: { etcdClient, etcdPeer, apiServer },
      stageConfig: path.join(kwokAssetDir(), "kwok.yaml"),
      ...(workers !== undefined ? { workers } : {}),
    };
    const args: Record<string, string[]> = controlPlaneArgs(inputs);
    const groups = kwokGroups(workers);
    const nodes = topo.clusterNodes(workers);
    if (real) args["kube-apiserver"] = await real.apiServerArgs(args["kube-apiserver"]!, path.join(dir, "pki"));
    else
      for (const g of groups)
        args[g.process] = g.label ? kwokGroupArgs(inputs, g.label) : kwokArgs(inputs, g.nodes[0]!);
    args.provisioner = [
      ...(RUNNING_COMPILED ? ["--enable-source-maps"] : ["--import", import.meta.resolve("tsx")]),
      provisionerMain(),
      kubeconfigs.admin,
    ];
    const launch = (name: string) => {
      opts.signal?.throwIfAborted();
      const binary = name.startsWith("kwok-") ? bins.kwok! : name === "provisioner" ? process.execPath : bins[name]!;
      const p = startProcess(name, binary, args[name]!, path.join(dir, `${name}.log`), env);
      processes.push(p);
      // a record replaced by a restart is already stopped, and its pid may since be another's
      undo.defer(`stop ${name}`, () => (processes.includes(p) ? stopProcess(p) : undefined));
      return p;
    };
    const state: LocalClusterState = {
      name: opts.name,
      kubernetesVersion: KUBERNETES_VERSION,
      createdAt: new Date().toISOString(),
      dir,
      kubeconfig: kubeconfigs.admin,
      apiServer: server,
      ports: { etcdClient, etcdPeer, apiServer },
      processes,
      nodes: real ? "real" : "kwok",
      ...(workers !== undefined ? { workers } : {}),
      ...(real
        ? {
            ingressURL: `http://${real.net.gateway}:${INGRESS_PORT}`,
            registry: { address: real.net.gateway, ports: [REGISTRY_PORT, AUTH_REGISTRY_PORT] },
          }
        : {}),
    };

    opts.log.info(`starting etcd and kube-apiserver on ${server}`);
    launch("etcd");
    launch("kube-apiserver");
    await writeState(state);
    const kube = createKube(kubeconfigs.admin);
    await waitFor(
      "kube-apiserver to answer",
      60_000,
      opts,
      processes,
      async () => (await apiServerAnswers(kubeconfigs.admin)) || undefined,
    );

    if (!real) await installStages(kube, opts);
    opts.log.info(`starting kube-controller-manager, kube-scheduler and ${real ? "real nodes" : "kwok"}`);
    launch("kube-controller-manager");
    launch("kube-scheduler");
    if (!real) for (const g of groups) launch(g.process);
    launch("provisioner");
    await writeState(state);

    if (real) {
      processes.push(...(await real.start({ kube, server, pkiDir: path.join(dir, "pki"), caCert: pki.caCert })));
      await writeState(state);
    } else {
      const groupOf = new Map(groups.flatMap((g) => g.nodes.map((n) => [n, g.label] as const)));
      const created = await settleLimited(nodes, API_CONCURRENCY, (n) =>
        kube.create(topo.nodeObject(n, groupOf.get(n.name)) as KObject),
      );
      const failed = created.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    }
    // 60s for the default six; above 100 nodes, 200ms more per node (100s for 300)
    const readyMs = 60_000 + Math.max(0, nodes.length - 100) * 200;
    const watchdog = real ? undefined : new KwokWatchdog(groups);
    await waitFor(`${nodes.length} nodes Ready`, readyMs, opts, processes, async () => {
      const { items } = await kube.list({ apiVersion: "v1", kind: "Node" });
      const ready = items.filter((n) => isReady(n) && n.spec?.podCIDR);
      if (ready.length === nodes.length) return true;
      if (watchdog) {
        const readyNames = new Set(ready.map((n) => n.metadata.name!));
        await restartStalledKwok(watchdog, readyNames, {
          kube,
          processes,
          launch,
          save: () => writeState(state),
          log: opts.log,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      }
      return undefined;
    });
    await writeState(state);
    return state;
  } catch (err) {
    await undo.unwind((f) => opts.log.warn(`while undoing a failed start: ${f.label} failed: ${String(f.error)}`));
    throw err;
  }
}

/**
 * Restarts, once each, the kwok processes that stalled at start (see KwokWatchdog); says
 * which and why, and records each new pid in the cluster state at once.
 */
async function restartStalledKwok(
  watchdog: KwokWatchdog,
  ready: ReadonlySet<string>,
  env: {
    kube: Kube;
    processes: ProcessRecord[];
    launch: (name: string) => ProcessRecord;
    save: () => Promise<void>;
    log: Logger;
    signal?: AbortSignal;
  },
): Promise<void> {
  const record = (name: string) => env.processes.find((p) => p.name === name);
  const logSize = (name: string) => {
    const file = record(name)?.logFile;
    try {
      return file ? statSync(file).size : 0;
    } catch {
      return 0;
    }
  };
  const silent = watchdog.silent(Date.now(), logSize, ready);
  if (silent.length === 0) return;
  const { items } = await env.kube.list(
    { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
    { namespace: NODE_LEASES },
  );
  const leases = new Set(items.map((l) => l.metadata.name!));
  const stalled = watchdog.stalled(silent, ready, leases);
  for (const { group, waiting } of stalled) {
    const old = record(group.process)!;
    env.log.warn(
      `${group.process} has taken none of its nodes (${waiting.join(", ")}: no node Lease) and logged nothing for ${formatMs(watchdog.silenceMs(group.process, Date.now()))}: restarting it once (pid ${old.pid}; its log goes on in ${old.logFile})`,
    );
    env.signal?.throwIfAborted();
    await stopProcess(old);
    // launched before the old record goes: if the launch fails, the stopped record stays
    // and the wait fails at once saying it exited, with its log
    const fresh = env.launch(group.process);
    env.processes.splice(env.processes.indexOf(old), 1);
    watchdog.noteRestart(group.process, Date.now(), logSize(fresh.name));
    await env.save();
  }
}

const NODE_LEASES = "kube-node-lease";

function isReady(node: KObject): boolean {
  return (node.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
  );
}

export async function installStages(kube: Kube, opts: Pick<UpOptions, "log" | "signal" | "name">): Promise<void> {
  const dir = kwokAssetDir();
  const crd = parseAllDocuments(await fs.readFile(path.join(dir, "stage-crd.yaml"), "utf8"))[0]!.toJS() as KObject;
  await kube.apply(crd);
  await waitFor("the kwok Stage CRD to be established", 30_000, opts, [], async () => {
    const live = await kube.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name! });
    return (
      (live?.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === "Established" && c.status === "True",
      ) || undefined
    );
  });
  for (const doc of parseAllDocuments(await fs.readFile(path.join(dir, "stages.yaml"), "utf8"))) {
    await retry(() => kube.apply(doc.toJS() as KObject), 20, 250);
  }
}

async function retry<T>(fn: () => Promise<T>, times: number, delayMs: number): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= times) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Polls `check` (start-up only: there is nothing to watch yet) and fails fast if a process died. */
async function waitFor(
  what: string,
  timeoutMs: number,
  opts: Pick<UpOptions, "log" | "signal" | "name">,
  processes: ProcessRecord[],
  check: () => Promise<true | undefined>,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    opts.signal?.throwIfAborted();
    const dead = processes.find((p) => !isOurs(p));
    if (dead)
      throw new ClusterError(
        `${dead.name} exited while waiting for ${what}; last lines of ${dead.logFile}:\n${logTail(dead.logFile)}`,
      );
    if (await check().catch(() => undefined)) return;
    const elapsed = Date.now() - start;
    if (elapsed > timeoutMs) {
      const tails = processes
        .map((p) => `--- last lines of ${p.name} (${p.logFile}):\n${logTail(p.logFile, 8)}`)
        .join("\n");
      throw new TimeoutError(
        `timed out waiting for ${what} after ${elapsed}ms (limit ${timeoutMs}ms)${tails ? `\n${tails}` : ""}`,
        elapsed,
        timeoutMs,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether the API server answers; a busy machine gets `attempts` tries, 500ms apart. */
export async function apiServerAnswers(kubeconfig: string, attempts = 1): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    try {
      await createKube(kubeconfig).list({ apiVersion: "v1", kind: "Namespace" });
      return true;
    } catch {
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

/** Stops every process of a cluster (newest first) and removes its folder. */
export async function downState(state: LocalClusterState): Promise<void> {
  for (const p of [...state.processes].reverse()) await stopProcess(p);
  await cleanupRealNodes(state.dir);
  await fs.rm(state.dir, { recursive: true, force: true });
}

export async function downLocal(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  checkName(name);
  await ensureStateRoot(env, { create: false });
  const dir = clusterDir(name, env);
  const state = await readState(dir);
  if (!state) await cleanupRealNodes(dir);
  if (state) await downState(state);
  else await fs.rm(dir, { recursive: true, force: true });
  await removeStaleLock(`${dir}.lock`);
  return state !== undefined;
}

export async function localState(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalClusterState | undefined> {
  checkName(name);
  await ensureStateRoot(env, { create: false });
  return readState(clusterDir(name, env));
}
