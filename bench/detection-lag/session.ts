// What the detection-lag benchmark measures with: a namespace running the shop app, the
// detectors of scenario.yaml built as `kubedrill run` builds them, a ClusterView fed by
// their watches, every diagnose analyser, and the recover probes' monitor running beside
// the detectors as in a run's detect phase.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { analyseAll } from "../../src/diagnose/index.ts";
import { evalContext } from "../../src/engine/context.ts";
import { ProbeMonitor } from "../../src/engine/monitor.ts";
import { ClusterView } from "../../src/engine/view.ts";
import { createKube } from "../../src/k8s/client.ts";
import type { Kube } from "../../src/k8s/kube.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY, type KObject } from "../../src/k8s/types.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { instantiate } from "../../src/pipeline/instantiate.ts";
import type { Detector, EvalContext } from "../../src/sdk/types.ts";
import { systemClock } from "../../src/util/clock.ts";
import { shortId } from "../../src/util/ids.ts";
import { createLogger } from "../../src/util/log.ts";
import { BENCH_KEY, changes, deleteEvents, restoreNode, type Change } from "./changes.ts";

const HERE = fileURLToPath(new URL("./", import.meta.url));
const SHOP = fileURLToPath(new URL("../../scenarios/manifests/shop.yaml", import.meta.url));
const POD = { apiVersion: "v1", kind: "Pod" } as const;
const READY_TIMEOUT_MS = 120_000;

export interface Session {
  kube: Kube;
  runId: string;
  namespace: string;
  node: string;
  detectors: readonly Detector[];
  ctx: EvalContext;
  /** One per detector, in the same order. */
  changes: Change[];
  /** Rounds measured so far (names of the objects written are numbered by round). */
  rounds: number;
  close(): Promise<void>;
}

export async function openSession(kubeconfig: string, say: (line: string) => void): Promise<Session> {
  const kube = createKube(kubeconfig);
  const id = shortId();
  const runId = `bench-lag-${id}`;
  const namespace = `lag-${id}`;
  const { items: nodes } = await kube.list({ apiVersion: "v1", kind: "Node" });
  const last = nodes
    .map((n) => n.metadata.name!)
    .sort()
    .at(-1);
  if (!last) throw new Error("the cluster has no nodes");
  const node = last;
  const taints = (nodes.find((n) => n.metadata.name === node)?.spec?.taints ?? []).filter(
    (t: { key?: string }) => t.key !== BENCH_KEY,
  ) as unknown[];
  await restoreNode(kube, node, taints); // what an interrupted run may have left

  const checked = await checkScenarios(["scenario.yaml"], { cwd: HERE, runId, variables: { set: [`node=${node}`] } });
  const scenario = checked.built[0]?.scenario;
  if (!scenario)
    throw new Error(`bench/detection-lag/scenario.yaml: ${checked.problems.map((p) => p.message).join("; ")}`);
  const built = instantiate(scenario, { namespace, runId, registries: checked.registries, sources: checked.sources });

  const labels = { [LABEL_RUN_ID]: runId, [LABEL_MANAGED]: MANAGED_BY };
  await kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels } });
  const log = createLogger({ write: () => undefined });
  const view = new ClusterView(kube, { clock: systemClock, log });
  let recovery: ProbeMonitor | undefined;
  const close = async () => {
    recovery?.stop();
    view.close();
    await restoreNode(kube, node, taints);
    await deleteEvents(kube, runId);
    await kube.delete({ apiVersion: "v1", kind: "Namespace", name: namespace });
  };
  try {
    await view.ensure(built.needs);
    const ctx = evalContext(
      { kube, log, runId, analyse: analyseAll },
      { clock: systemClock, log, view, namespace, file: scenario.file, signal: new AbortController().signal },
    );
    const until = (what: string, done: () => boolean) => waitView(view, what, done);
    const shop = parseAllDocuments(readFileSync(SHOP, "utf8").replaceAll("${namespace}", namespace));
    for (const doc of shop) {
      const obj = doc.toJSON() as KObject;
      await kube.apply({
        ...obj,
        metadata: { ...obj.metadata, namespace, labels: { ...obj.metadata.labels, ...labels } },
      });
    }
    say(`waiting for the shop app in ${namespace}`);
    await waitView(
      view,
      "the shop app's 8 pods Running",
      () => {
        const pods = view.list(POD, namespace);
        return pods.length === 8 && pods.every((p) => p.status?.phase === "Running");
      },
      READY_TIMEOUT_MS,
    );
    recovery = new ProbeMonitor(built.recover, ctx).start();
    const all = changes({ kube, view, namespace, runId, node, taints, until });
    if (all.length !== built.signals.length) throw new Error("scenario.yaml and changes.ts disagree on the detectors");
    return { kube, runId, namespace, node, detectors: built.signals, ctx, changes: all, rounds: 0, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Resolves once `done()` holds for the view (checked now and on each change); rejects after `timeoutMs`. */
export function waitView(view: ClusterView, what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${what}: not seen within ${timeoutMs}ms`));
    }, timeoutMs);
    const stop = view.subscribe(() => {
      if (!done()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
