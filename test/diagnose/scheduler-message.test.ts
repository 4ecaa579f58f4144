import { expect } from "chai";
import {
  insufficientResources,
  mentionsNodeAffinity,
  parseSchedulerMessage,
  summariseReasons,
  untoleratedTaints,
} from "../../src/diagnose/util/scheduler-message.ts";

describe("diagnose/util/scheduler-message", () => {
  it("parses per-reason node counts with the preemption suffix", () => {
    const m = parseSchedulerMessage(
      "0/6 nodes are available: 2 Insufficient memory, 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
    );
    expect(m).to.deep.equal({
      available: 0,
      total: 6,
      reasons: [
        { count: 2, reason: "Insufficient memory" },
        { count: 6, reason: "Insufficient cpu" },
      ],
      preemption: {
        available: 0,
        total: 6,
        reasons: [{ count: 6, reason: "No preemption victims found for incoming pod" }],
      },
    });
    expect(insufficientResources(m!)).to.deep.equal([
      { resource: "memory", count: 2 },
      { resource: "cpu", count: 6 },
    ]);
  });

  it("parses untolerated taints (1.26+ form) next to node affinity, with 'Preemption is not helpful..'", () => {
    const m = parseSchedulerMessage(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
    )!;
    expect(m.reasons).to.deep.equal([
      { count: 1, reason: "node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }" },
      { count: 2, reason: "node(s) didn't match Pod's node affinity/selector" },
    ]);
    expect(untoleratedTaints(m)).to.deep.equal([{ key: "node.kubernetes.io/disk-pressure", value: "", count: 1 }]);
    expect(mentionsNodeAffinity(m)).to.equal(true);
    expect(insufficientResources(m)).to.deep.equal([]);
    expect(m.preemption?.reasons).to.deep.equal([{ count: 3, reason: "Preemption is not helpful for scheduling" }]);
  });

  it("parses the older 'had taint {..}, that the pod didn't tolerate' form without splitting on its comma", () => {
    const m = parseSchedulerMessage(
      "0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 3 Insufficient memory.",
    )!;
    expect(m.reasons.map((r) => r.count)).to.deep.equal([1, 3]);
    expect(untoleratedTaints(m)).to.deep.equal([{ key: "node-role.kubernetes.io/master", value: "", count: 1 }]);
    expect(insufficientResources(m)).to.deep.equal([{ resource: "memory", count: 3 }]);
  });

  it("parses taints with values, unschedulable nodes and 'Too many pods'", () => {
    const m = parseSchedulerMessage(
      "0/5 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.",
    )!;
    expect(m.reasons).to.have.length(4);
    expect(untoleratedTaints(m).map((t) => `${t.key}=${t.value}`)).to.deep.equal([
      "dedicated=gpu",
      "node.kubernetes.io/unreachable=",
    ]);
    expect(insufficientResources(m)).to.deep.equal([{ resource: "pods", count: 1 }]);
    expect(m.preemption?.reasons.map((r) => r.count)).to.deep.equal([1, 4]);
    expect(summariseReasons(m)).to.equal(
      "1 Too many pods, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }",
    );
  });

  it("parses reasons without a count (pre-filter) and the key-less taint(s) form", () => {
    const pvc = parseSchedulerMessage(
      "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    )!;
    expect(pvc.reasons).to.deep.equal([{ reason: "pod has unbound immediate PersistentVolumeClaims" }]);
    const newer = parseSchedulerMessage(
      "0/17 nodes are available: 17 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/17 nodes are available: 17 Preemption is not helpful for scheduling.",
    )!;
    expect(untoleratedTaints(newer)).to.deep.equal([{ count: 17 }]);
    expect(newer.preemption?.total).to.equal(17);
  });

  it("parses extended resources and messages without preemption", () => {
    const m = parseSchedulerMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")!;
    expect(insufficientResources(m)).to.deep.equal([{ resource: "nvidia.com/gpu", count: 3 }]);
    expect(m.preemption).to.equal(undefined);
  });

  it("returns undefined for other texts", () => {
    expect(parseSchedulerMessage("no nodes available to schedule pods")).to.equal(undefined);
    expect(
      parseSchedulerMessage('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded'),
    ).to.equal(undefined);
  });
});
