// The changes the detection-lag benchmark writes, one kind per detector of scenario.yaml
// (same order): each `write` is the change a detector must see, each `revert` puts the
// state back (and says when the watch cache shows it back), so that the next round's
// state detectors start from "absent", as before a fault.
import type { Kube } from "../../src/k8s/kube.ts";
import { LABEL_RUN_ID, type KObject } from "../../src/k8s/types.ts";
import type { ClusterView } from "../../src/engine/view.ts";

const NODE = { apiVersion: "v1", kind: "Node" } as const;
const POD = { apiVersion: "v1", kind: "Pod" } as const;
const INGRESS = { apiVersion: "networking.k8s.io/v1", kind: "Ingress" } as const;
/** The taint key, the Pods' label key and the scheduling gate of the benchmark. */
export const BENCH_KEY = "kubedrill.io/bench-lag";
export const CONDITION = "BenchLag";

export interface Change {
  /** What the detector watches for, as the report names it. */
  name: string;
  /** Before the round (not timed): e.g. a fresh Pod; resolves once the view holds it. */
  prepare?(round: number): Promise<void>;
  /** The change the detector must see; resolves when the API server has acknowledged it. */
  write(round: number): Promise<unknown>;
  /** Undoes it; resolves once the view no longer shows it. */
  revert(round: number): Promise<void>;
}

type Wait = (what: string, done: () => boolean) => Promise<void>;

interface Env {
  kube: Kube;
  view: ClusterView;
  namespace: string;
  runId: string;
  node: string;
  /** The node's taints before the benchmark (put back by every revert). */
  taints: unknown[];
  until: Wait;
}

const condition = (status: string) => ({
  status: {
    conditions: [
      {
        type: CONDITION,
        status,
        reason: "Benchmark",
        message: "written by bench/detection-lag.ts",
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  },
});

const nodeObj = (e: Env): KObject | undefined => e.view.get(NODE, e.node);
const conditionOf = (n: KObject | undefined) =>
  ((n?.status?.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === CONDITION)?.status;
const tainted = (n: KObject | undefined) =>
  ((n?.spec?.taints ?? []) as { key: string }[]).some((t) => t.key === BENCH_KEY);
const phasePod = (round: number) => `lag-phase-${round}`;

export function changes(e: Env): Change[] {
  const nodeRef = { ...NODE, name: e.node };
  return [
    {
      name: "event",
      // A new Event about the node each round (per-change: nothing to revert), where the
      // kubelet writes them: in "default" (deleteEvents() takes them away).
      write: (round) => {
        const now = new Date().toISOString();
        return e.kube.create({
          apiVersion: "v1",
          kind: "Event",
          metadata: { name: `${e.runId}-${round}`, namespace: "default", labels: { [LABEL_RUN_ID]: e.runId } },
          involvedObject: { apiVersion: "v1", kind: "Node", name: e.node },
          reason: "BenchLag",
          message: `round ${round}`,
          type: "Warning",
          source: { component: "bench-detection-lag" },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        });
      },
      revert: async () => undefined,
    },
    {
      name: "node condition",
      write: () => e.kube.patch(nodeRef, condition("True"), "strategic", { subresource: "status" }),
      revert: async () => {
        await e.kube.patch(nodeRef, condition("False"), "strategic", { subresource: "status" });
        await e.until(`condition ${CONDITION} False`, () => conditionOf(nodeObj(e)) === "False");
      },
    },
    {
      name: "node taint",
      write: () =>
        e.kube.patch(nodeRef, { spec: { taints: [...e.taints, { key: BENCH_KEY, effect: "NoSchedule" }] } }, "merge"),
      revert: async () => {
        await e.kube.patch(nodeRef, { spec: { taints: e.taints.length ? e.taints : null } }, "merge");
        await e.until(`taint ${BENCH_KEY} gone`, () => !tainted(nodeObj(e)));
      },
    },
    {
      name: "pod phase",
      // A Pod held unscheduled by a scheduling gate (no node, so nothing else writes its
      // status) goes Failed; a Failed Pod cannot go back, so each round has its own.
      prepare: async (round) => {
        await e.kube.create({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: phasePod(round), namespace: e.namespace, labels: { [BENCH_KEY]: "phase" } },
          spec: {
            schedulingGates: [{ name: BENCH_KEY }],
            containers: [{ name: "app", image: "busybox" }],
          },
        });
        await e.until(`Pod ${phasePod(round)} cached`, () => !!e.view.get(POD, phasePod(round), e.namespace));
      },
      write: (round) =>
        e.kube.patch(
          { ...POD, name: phasePod(round), namespace: e.namespace },
          { status: { phase: "Failed", reason: "Benchmark", message: "written by bench/detection-lag.ts" } },
          "merge",
          { subresource: "status" },
        ),
      revert: async (round) => {
        await e.kube.delete({ ...POD, name: phasePod(round), namespace: e.namespace }, { gracePeriodSeconds: 0 });
        await e.until(`Pod ${phasePod(round)} gone`, () => !e.view.get(POD, phasePod(round), e.namespace));
      },
    },
    {
      name: "finding",
      // An Ingress routing to a Service that does not exist: IngressBackendMissing.
      write: () =>
        e.kube.create({
          ...INGRESS,
          metadata: { name: "lag-finding", namespace: e.namespace },
          spec: {
            rules: [
              {
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: "lag-missing", port: { number: 80 } } },
                    },
                  ],
                },
              },
            ],
          },
        }),
      revert: async () => {
        await e.kube.delete({ ...INGRESS, name: "lag-finding", namespace: e.namespace });
        await e.until("Ingress lag-finding gone", () => !e.view.get(INGRESS, "lag-finding", e.namespace));
      },
    },
  ];
}

/** Takes the benchmark's condition and taint off the node (at the end, whatever happened). */
export async function restoreNode(kube: Kube, node: string, taints: unknown[]): Promise<void> {
  const ref = { ...NODE, name: node };
  const live = await kube.get(ref);
  if (!live) return;
  if (tainted(live)) await kube.patch(ref, { spec: { taints: taints.length ? taints : null } }, "merge");
  const conditions = (live.status?.conditions ?? []) as { type: string }[];
  const at = conditions.findIndex((c) => c.type === CONDITION);
  if (at >= 0)
    await kube.patch(ref, [{ op: "remove", path: `/status/conditions/${at}` }], "json", { subresource: "status" });
}

/** Deletes the node Events of this run (written to "default"). */
export async function deleteEvents(kube: Kube, runId: string): Promise<void> {
  const type = { apiVersion: "v1", kind: "Event" };
  const { items } = await kube.list(type, { namespace: "default", labelSelector: `${LABEL_RUN_ID}=${runId}` });
  for (const ev of items) await kube.delete({ ...type, name: ev.metadata.name!, namespace: "default" });
}
