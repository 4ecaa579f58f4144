import { expect } from "chai";
import { nodeNotReadyAnalyser } from "../../src/diagnose/analysers/node-not-ready.ts";
import { emptySnapshot, event, node } from "./fixtures/builders.ts";

describe("diagnose: NodeNotReady", () => {
  const taints = [
    { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: "2025-11-20T10:01:00Z" },
    { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2025-11-20T10:01:05Z" },
  ];

  it("one finding per down node, naming the zone and how much of it is left", () => {
    const nodes = [
      node("a-1", { zone: "zone-a", ready: "Unknown", taints }),
      node("a-2", { zone: "zone-a", ready: "Unknown", taints }),
      node("b-1", { zone: "zone-b" }),
      node("b-2", { zone: "zone-b", ready: "False" }),
    ];
    const ev = event("default", { kind: "Node", name: "a-1" }, "NodeNotReady", "Node a-1 status is now: NodeNotReady", {
      type: "Normal",
      component: "node-controller",
    });
    const found = nodeNotReadyAnalyser.analyse(emptySnapshot({ nodes, events: [ev] }));
    expect(found.map((f) => f.object.name)).to.deep.equal(["a-1", "a-2", "b-2"]);
    expect(found[0]?.message).to.equal(
      "node a-1 in zone zone-a is NotReady: Ready=Unknown (NodeStatusUnknown), tainted node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute; zone zone-a has 0/2 nodes Ready (the whole zone is down)",
    );
    expect(found[0]?.evidence).to.deep.equal([
      "Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.",
      "taint node.kubernetes.io/unreachable:NoSchedule",
      "taint node.kubernetes.io/unreachable:NoExecute",
      "NodeNotReady: Node a-1 status is now: NodeNotReady",
    ]);
    expect(found[2]?.message).to.match(
      /^node b-2 in zone zone-b is NotReady: Ready=False \(KubeletNotReady\); zone zone-b has 1\/2 nodes Ready$/,
    );
    expect(found[0]?.object).to.deep.equal({ apiVersion: "v1", kind: "Node", name: "a-1" });
  });

  it("a node with Ready=True but the not-ready taint still counts; one without a zone says so", () => {
    const n = node("x", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] });
    const [f] = nodeNotReadyAnalyser.analyse(emptySnapshot({ nodes: [n] }));
    expect(f?.message).to.equal(
      "node x is NotReady: Ready=True (KubeletReady), tainted node.kubernetes.io/not-ready:NoSchedule; node has no topology.kubernetes.io/zone label",
    );
  });

  it("is silent for Ready nodes, cordoned or not", () => {
    expect(
      nodeNotReadyAnalyser.analyse(
        emptySnapshot({ nodes: [node("a", { zone: "z" }), node("b", { zone: "z", unschedulable: true })] }),
      ),
    ).to.deep.equal([]);
  });
});
