import { expect } from "chai";
import { affinityUnsatisfiableAnalyser } from "../../src/diagnose/analysers/affinity-unsatisfiable.ts";
import { emptySnapshot, event, node, pod } from "./fixtures/builders.ts";

const UNREACHABLE = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: "2025-11-20T10:01:00Z" };

function zones(downZone?: string) {
  return ["zone-a", "zone-b", "zone-c"].flatMap((zone) =>
    [1, 2].map((i) =>
      node(`${zone}-${i}`, {
        zone,
        labels: { disktype: zone === "zone-c" ? "nvme" : "hdd" },
        ...(zone === downZone ? { ready: "Unknown" as const, taints: [UNREACHABLE] } : {}),
      }),
    ),
  );
}

const required = (...matchExpressions: unknown[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
});
const MSG =
  "0/6 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.";

describe("diagnose: AffinityUnsatisfiable", () => {
  it("names the requirement and the zone that has no Ready nodes", () => {
    const p = pod("orders-5f7d9-k2x8q", "shop", {
      affinity: required({ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a"] }),
      unschedulable: MSG,
    });
    const ev = event("shop", { kind: "Pod", name: "orders-5f7d9-k2x8q" }, "FailedScheduling", MSG);
    const [f, ...rest] = affinityUnsatisfiableAnalyser.analyse(
      emptySnapshot({ nodes: zones("zone-a"), pods: [p], events: [ev] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal(
      "pod shop/orders-5f7d9-k2x8q requires topology.kubernetes.io/zone In [zone-a], which no Ready schedulable node satisfies: the 2 matching nodes are down (zone-a-1 NotReady, zone-a-2 NotReady); zone zone-a has no Ready nodes (0/2)",
    );
    expect(f?.evidence).to.deep.equal([`PodScheduled=False Unschedulable: ${MSG}`, `FailedScheduling: ${MSG}`]);
    expect(f?.remedy).to.match(/preferredDuringSchedulingIgnoredDuringExecution/);
  });

  it("names a nodeSelector label no node carries, with the values nodes do have", () => {
    const p = pod("db-0", "shop", { nodeSelector: { disktype: "ssd" } });
    const [f] = affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes: zones(), pods: [p] }));
    expect(f?.message).to.equal(
      "pod shop/db-0 requires disktype=ssd, which no Ready schedulable node satisfies: no node matches (node values of disktype: hdd, nvme)",
    );
  });

  it("handles NotIn, Exists, DoesNotExist, Gt and Lt", () => {
    const nodes = zones();
    nodes[0]!.metadata.labels!["cpu-gen"] = "3";
    nodes[1]!.metadata.labels!["cpu-gen"] = "5";
    const cases: [unknown[], boolean][] = [
      [[{ key: "cpu-gen", operator: "Gt", values: ["4"] }], false],
      [[{ key: "cpu-gen", operator: "Gt", values: ["5"] }], true],
      [[{ key: "cpu-gen", operator: "Lt", values: ["3"] }], true],
      [[{ key: "gpu", operator: "Exists" }], true],
      [[{ key: "gpu", operator: "DoesNotExist" }], false],
      [[{ key: "disktype", operator: "NotIn", values: ["hdd", "nvme"] }], true],
      [[{ key: "disktype", operator: "NotIn", values: ["hdd"] }], false],
    ];
    for (const [exprs, expectFinding] of cases) {
      const p = pod("p", "shop", { affinity: required(...exprs) });
      expect(
        affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [p] })),
        JSON.stringify(exprs),
      ).to.have.length(expectFinding ? 1 : 0);
    }
  });

  it("supports matchFields on metadata.name and ORs nodeSelectorTerms", () => {
    const nodes = zones("zone-a");
    const byName = pod("pinned", "shop", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["zone-a-1"] }] }],
          },
        },
      },
    });
    const [f] = affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [byName] }));
    expect(f?.message).to.contain("requires field metadata.name In [zone-a-1]");
    expect(f?.message).to.contain("the only matching node is down (zone-a-1 NotReady)");
    const either = pod("either", "shop", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a"] }] },
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-b"] }] },
            ],
          },
        },
      },
    });
    expect(affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [either] }))).to.deep.equal([]);
  });

  it("treats cordoned nodes as unusable and says so", () => {
    const nodes = [node("only", { zone: "zone-a", unschedulable: true }), node("other", { zone: "zone-b" })];
    const p = pod("p", "shop", { nodeSelector: { "topology.kubernetes.io/zone": "zone-a" } });
    const [f] = affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [p] }));
    expect(f?.message).to.contain(
      "the only matching node is down (only cordoned); zone zone-a has no Ready nodes (0/1)",
    );
  });

  it("is silent when a Ready node matches, for scheduled pods, and without any node list", () => {
    const nodes = zones("zone-a");
    const ok = pod("ok", "shop", { nodeSelector: { "topology.kubernetes.io/zone": "zone-b" } });
    const scheduled = pod("s", "shop", { node: "zone-a-1", nodeSelector: { "topology.kubernetes.io/zone": "zone-a" } });
    const plain = pod("plain", "shop");
    expect(affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [ok, scheduled, plain] }))).to.deep.equal(
      [],
    );
    expect(
      affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ pods: [pod("x", "shop", { nodeSelector: { a: "b" } })] })),
    ).to.deep.equal([]);
  });
});
