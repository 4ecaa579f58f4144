import { expect } from "chai";
import { insufficientResourcesAnalyser } from "../../src/diagnose/analysers/insufficient-resources.ts";
import { emptySnapshot, event, node, pod } from "./fixtures/builders.ts";

const MSG =
  "0/6 nodes are available: 2 Insufficient memory, 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.";

function cluster() {
  // 6 nodes x 4 CPU / 8Gi; busy pods leave at most 1 CPU / 2Gi free on one node.
  const nodes = ["a", "b", "c", "d", "e", "f"].map((z, i) =>
    node(`n-${z}`, { zone: `zone-${i % 3}`, cpu: "4", memory: "8Gi" }),
  );
  const busy = nodes.map((n, i) =>
    pod(`busy-${i}`, "shop", {
      node: n.metadata.name,
      containers: [{ requests: { cpu: i === 0 ? "3" : "3500m", memory: i === 1 ? "6Gi" : "7Gi" } }],
    }),
  );
  return { nodes, busy };
}

describe("diagnose: InsufficientResources", () => {
  it("says what the pod requests, the most a node the pod may use has free, and the shortfall", () => {
    const { nodes, busy } = cluster();
    const promo = pod("promo-7c9d8f-x9k2p", "shop", {
      containers: [{ requests: { cpu: "8", memory: "16Gi" } }],
      unschedulable: MSG,
    });
    const ev = event("shop", { kind: "Pod", name: "promo-7c9d8f-x9k2p" }, "FailedScheduling", MSG, { count: 20 });
    const [f, ...rest] = insufficientResourcesAnalyser.analyse(
      emptySnapshot({ nodes, pods: [...busy, promo], events: [ev] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.code).to.equal("InsufficientResources");
    expect(f?.severity).to.equal("critical");
    expect(f?.object).to.deep.equal({ apiVersion: "v1", kind: "Pod", name: "promo-7c9d8f-x9k2p", namespace: "shop" });
    expect(f?.message).to.contain(
      "requests memory 16Gi, the most free on a node the pod may use is 2Gi (n-b): short by 14Gi",
    );
    expect(f?.message).to.contain("requests cpu 8, the most free on a node the pod may use is 1 (n-a): short by 7");
    expect(f?.message).to.contain("scheduler: 0/6 nodes available: 2 Insufficient memory, 6 Insufficient cpu");
    expect(f?.evidence).to.include(`FailedScheduling: ${MSG}`);
    expect(f?.evidence).to.include(`PodScheduled=False Unschedulable: ${MSG}`);
    expect(f?.remedy).to.match(/PriorityClass/);
  });

  it("ignores NotReady and cordoned nodes and terminated pods when computing free capacity", () => {
    const { nodes, busy } = cluster();
    const spare = node("n-spare", { cpu: "16", memory: "64Gi", ready: "Unknown" });
    const cordoned = node("n-cordoned", { cpu: "16", memory: "64Gi", unschedulable: true });
    const done = pod("done", "shop", {
      node: "n-c",
      phase: "Succeeded",
      containers: [{ requests: { cpu: "100", memory: "1Ti" } }],
    });
    const p = pod("big", "shop", {
      containers: [{ requests: { cpu: "2" } }],
      unschedulable:
        "0/8 nodes are available: 6 Insufficient cpu, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
    });
    const [f] = insufficientResourcesAnalyser.analyse(
      emptySnapshot({ nodes: [...nodes, spare, cordoned], pods: [...busy, done, p] }),
    );
    expect(f?.message).to.contain("requests cpu 2, the most free on a node the pod may use is 1 (n-a): short by 1");
  });

  it("counts init containers and pod overhead as the scheduler does", () => {
    const n = node("solo", { cpu: "2", memory: "4Gi" });
    const p = pod("init-heavy", "shop", {
      containers: [{ requests: { cpu: "500m" } }],
      unschedulable: "0/1 nodes are available: 1 Insufficient cpu.",
    });
    p.spec.initContainers = [{ name: "migrate", image: "x", resources: { requests: { cpu: "3" } } }];
    p.spec.overhead = { cpu: "250m" };
    const [f] = insufficientResourcesAnalyser.analyse(emptySnapshot({ nodes: [n], pods: [p] }));
    expect(f?.message).to.contain(
      "requests cpu 3250m, the most free on a node the pod may use is 2 (solo): short by 1250m",
    );
  });

  it("computes free capacity over the nodes the pod may use: its selector, affinity and untolerated taints", () => {
    const worker = node("worker", { zone: "zone-a", cpu: "8" });
    const b1 = node("b-1", { zone: "zone-b", cpu: "2" });
    const gpu = node("gpu-b", {
      zone: "zone-b",
      cpu: "32",
      taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
    });
    const msg =
      "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: true}.";
    const zoned = pod("zoned", "shop", {
      containers: [{ requests: { cpu: "3" } }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-b"] }] },
            ],
          },
        },
      },
      unschedulable: msg,
    });
    const selected = pod("selected", "shop", {
      containers: [{ requests: { cpu: "3" } }],
      nodeSelector: { "topology.kubernetes.io/zone": "zone-b" },
      unschedulable: msg,
    });
    const found = insufficientResourcesAnalyser.analyse(
      emptySnapshot({ nodes: [worker, b1, gpu], pods: [zoned, selected] }),
    );
    expect(found.map((f) => f.message.split(" (scheduler")[0])).to.deep.equal([
      "pod shop/zoned cannot be scheduled: requests cpu 3, the most free on a node the pod may use is 2 (b-1): short by 1",
      "pod shop/selected cannot be scheduled: requests cpu 3, the most free on a node the pod may use is 2 (b-1): short by 1",
    ]);
    // Tolerating the taint makes the big node usable.
    selected.spec.tolerations = [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }];
    const [f] = insufficientResourcesAnalyser.analyse(emptySnapshot({ nodes: [worker, b1, gpu], pods: [selected] }));
    expect(f?.message).to.contain("the most free on a node the pod may use is 32 (gpu-b)");
  });

  it("reports from events alone when the condition is missing", () => {
    const p = pod("p", "shop", { containers: [{ requests: { memory: "1Gi" } }] });
    const ev = event(
      "shop",
      { kind: "Pod", name: "p" },
      "FailedScheduling",
      "0/1 nodes are available: 1 Insufficient memory.",
    );
    const [f] = insufficientResourcesAnalyser.analyse(emptySnapshot({ nodes: [], pods: [p], events: [ev] }));
    expect(f?.message).to.contain(
      "requests memory 1Gi, and no node the pod may use (Ready, schedulable, matching its selector and affinity, taints tolerated) reports allocatable memory",
    );
  });

  it("is silent for pods pending for other reasons, and for scheduled pods with stale events", () => {
    const affinity = pod("a", "shop", {
      unschedulable: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    });
    const running = pod("r", "shop", { node: "n-a" });
    const stale = event("shop", { kind: "Pod", name: "r" }, "FailedScheduling", MSG);
    expect(
      insufficientResourcesAnalyser.analyse(
        emptySnapshot({ nodes: cluster().nodes, pods: [affinity, running], events: [stale] }),
      ),
    ).to.deep.equal([]);
  });
});
