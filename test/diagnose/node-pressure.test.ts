import { expect } from "chai";
import { nodePressureAnalyser } from "../../src/diagnose/analysers/node-pressure.ts";
import { emptySnapshot, event, node, pod } from "./fixtures/builders.ts";

const DISK_TAINT = { key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule", timeAdded: "2025-11-20T10:02:00Z" };
const KEPT_OUT =
  "0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 1 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";

describe("diagnose: NodeDiskPressure / NodeMemoryPressure / NodePIDPressure", () => {
  it("names the taint, the Pending pods it keeps out and the evicted pods", () => {
    const full = node("worker-1", { pressure: { DiskPressure: true }, taints: [DISK_TAINT] });
    const kept = pod("web-7f9c-2xkq8", "shop", { unschedulable: KEPT_OUT });
    const evicted = pod("web-7f9c-old", "shop", {
      node: "worker-1",
      phase: "Failed",
      ready: false,
      containerStatuses: [],
      status: {
        reason: "Evicted",
        message: "The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 2%.",
      },
    });
    const ev = event(
      "default",
      { kind: "Node", name: "worker-1" },
      "EvictionThresholdMet",
      "Attempting to reclaim ephemeral-storage",
      { type: "Normal", component: "kubelet" },
    );
    const found = nodePressureAnalyser.analyse(
      emptySnapshot({ nodes: [full, node("worker-2")], pods: [kept, evicted], events: [ev] }),
    );
    expect(found).to.have.length(1);
    const [f] = found;
    expect(f?.code).to.equal("NodeDiskPressure");
    expect(f?.severity).to.equal("critical");
    expect(f?.object).to.deep.equal({ apiVersion: "v1", kind: "Node", name: "worker-1" });
    expect(f?.message).to.equal(
      "node worker-1 has DiskPressure=True (KubeletHasDiskPressure): tainted node.kubernetes.io/disk-pressure:NoSchedule; keeps out 1 Pending pod(s) (shop/web-7f9c-2xkq8); 1 pod(s) evicted (shop/web-7f9c-old)",
    );
    expect(f?.evidence).to.deep.equal([
      "DiskPressure=True KubeletHasDiskPressure: kubelet has disk pressure",
      "taint node.kubernetes.io/disk-pressure:NoSchedule",
      "EvictionThresholdMet: Attempting to reclaim ephemeral-storage",
      "pod shop/web-7f9c-old Evicted: The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 2%.",
      `pod shop/web-7f9c-2xkq8: PodScheduled=False Unschedulable: ${KEPT_OUT}`,
    ]);
    expect(f?.remedy).to.match(/image garbage collection/);
  });

  it("memory and PID pressure get their own codes and taints; warning when nothing is kept out yet", () => {
    const n = node("w", {
      pressure: { MemoryPressure: true, PIDPressure: true },
      taints: [{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }],
    });
    const found = nodePressureAnalyser.analyse(emptySnapshot({ nodes: [n] }));
    expect(found.map((f) => [f.code, f.severity])).to.deep.equal([
      ["NodeMemoryPressure", "warning"],
      ["NodePIDPressure", "warning"],
    ]);
    expect(found[0]?.message).to.equal(
      "node w has MemoryPressure=True (KubeletHasInsufficientMemory): tainted node.kubernetes.io/memory-pressure:NoSchedule",
    );
    expect(found[1]?.message).to.equal(
      "node w has PIDPressure=True (KubeletHasInsufficientPID): taint node.kubernetes.io/pid-pressure:NoSchedule not applied yet",
    );
  });

  it("counts the key-less 'untolerated taint(s)' form only for pods that do not tolerate the taint", () => {
    const n = node("w", { pressure: { DiskPressure: true }, taints: [DISK_TAINT] });
    const msg =
      "0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    const plain = pod("plain", "shop", { unschedulable: msg });
    const tolerant = pod("tolerant", "shop", {
      unschedulable: msg,
      tolerations: [{ key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" }],
    });
    const [f] = nodePressureAnalyser.analyse(emptySnapshot({ nodes: [n], pods: [plain, tolerant] }));
    expect(f?.message).to.contain("keeps out 1 Pending pod(s) (shop/plain)");
  });

  it("is silent when the conditions are False or Unknown", () => {
    expect(
      nodePressureAnalyser.analyse(emptySnapshot({ nodes: [node("a"), node("b", { ready: "Unknown" })] })),
    ).to.deep.equal([]);
  });
});
