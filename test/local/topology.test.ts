import { expect } from "chai";
import { UsageError } from "../../src/errors.ts";
import * as topo from "../../src/providers/local/topology.ts";
import { kwokGroups, planStop } from "../../src/providers/local/kwok-groups.ts";

describe("local provider: topology at scale (--workers)", () => {
  it("leaves the default topology as it was: six nodes, two per zone, a kwok process each, /24 per node", () => {
    expect(topo.clusterNodes()).to.deep.equal(topo.defaultNodes());
    expect(topo.clusterNodes().map((n) => n.zone)).to.deep.equal([
      "zone-a",
      "zone-a",
      "zone-b",
      "zone-b",
      "zone-c",
      "zone-c",
    ]);
    expect(kwokGroups().map((g) => [g.process, g.label, g.nodes])).to.deep.equal(
      topo.defaultNodes().map((n) => [`kwok-${n.name}`, undefined, [n.name]]),
    );
    expect(topo.nodeCidrMask()).to.equal(24);
  });

  for (const n of [3, 4, 7, 100, 256, 257, 300, 512]) {
    it(`spreads ${n} nodes evenly over the three zones, with distinct names, IPs and pod ranges`, () => {
      const nodes = topo.scaledNodes(n);
      expect(nodes).to.have.length(n);
      const sizes = topo.ZONES.map((z) => nodes.filter((x) => x.zone === z).length);
      expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
      expect(new Set(nodes.map((x) => x.name)).size).to.equal(n);
      expect(new Set(nodes.map((x) => x.internalIP)).size).to.equal(n);
      for (const x of nodes) expect(x.internalIP).to.match(/^172\.18\.\d{1,3}\.\d{1,3}$/);
      // the /16 pod range has a distinct node range for every node, each with room for the node's pods
      const mask = topo.nodeCidrMask(n);
      expect(topo.POD_CIDR).to.match(/\/16$/);
      expect(2 ** (mask - 16)).to.be.at.least(n);
      expect(2 ** (32 - mask) - 2).to.be.at.least(Number(nodes[0]!.pods));
    });
  }

  it("keeps /24 per node up to 256 nodes and takes /25 above", () => {
    expect([3, 6, 256, 257, 512].map((n) => topo.nodeCidrMask(n))).to.deep.equal([24, 24, 24, 25, 25]);
  });

  it("refuses a count the pod range cannot hold, or that is not a whole number >= 1, naming the limit", () => {
    for (const bad of [0, 2, -3, 4.5, 513, 10_000]) {
      expect(() => topo.scaledNodes(bad), String(bad)).to.throw(
        UsageError,
        /--workers must be a whole number from 3 \(a node in each zone\) to 512 \(got /,
      );
      expect(() => topo.nodeCidrMask(bad), String(bad)).to.throw(UsageError, /10\.244\.0\.0\/16/);
    }
  });

  it("refuses --workers with real nodes", () => {
    expect(() => topo.checkScaleOptions({ nodes: "real", workers: 30 })).to.throw(UsageError, /is for kwok nodes/);
    expect(() => topo.checkScaleOptions({ nodes: "kwok", workers: 30 })).not.to.throw();
    expect(() => topo.checkScaleOptions({ nodes: "real" })).not.to.throw();
  });

  it("labels a scaled node with its kwok group, and a default node with none", () => {
    const [w] = topo.scaledNodes(30);
    const labels = (o: Record<string, unknown>) => (o.metadata as { labels: Record<string, string> }).labels;
    expect(labels(topo.nodeObject(w!, "zone-a"))).to.include({
      [topo.KWOK_GROUP_LABEL]: "zone-a",
      "topology.kubernetes.io/zone": "zone-a",
    });
    expect(labels(topo.nodeObject(topo.defaultNodes()[0]!))).not.to.have.property(topo.KWOK_GROUP_LABEL);
  });
});

describe("local provider: kwok processes at scale", () => {
  it("makes one process per zone, selecting the zone's nodes by label", () => {
    const groups = kwokGroups(300);
    expect(groups.map((g) => [g.process, g.label, g.nodes.length])).to.deep.equal([
      ["kwok-zone-a", "zone-a", 100],
      ["kwok-zone-b", "zone-b", 100],
      ["kwok-zone-c", "zone-c", 100],
    ]);
    const zoneOf = new Map(topo.scaledNodes(300).map((n) => [n.name, n.zone]));
    for (const g of groups) for (const n of g.nodes) expect(zoneOf.get(n)).to.equal(g.label);
  });

  it("pauses a process when all its nodes stop, and relabels the nodes of a partly stopped one", () => {
    const groups = kwokGroups(9); // three nodes a zone
    const [a, b] = groups as [(typeof groups)[0], (typeof groups)[0]];
    const plan = planStop(groups, [...b.nodes, a.nodes[1]!], "kd");
    expect(plan.pause.map((g) => g.process)).to.deep.equal(["kwok-zone-b"]);
    expect(plan.relabel.map((r) => [r.group.process, r.nodes])).to.deep.equal([["kwok-zone-a", [a.nodes[1]]]]);
    // by default every process has one node: always paused
    const single = planStop(kwokGroups(), ["worker3"], "kd");
    expect([single.pause.map((g) => g.process), single.relabel]).to.deep.equal([["kwok-worker3"], []]);
  });

  it("refuses a node that is not one of the cluster's, naming it", () => {
    expect(() => planStop(kwokGroups(300), ["worker2", "worker301", "db"], "kd")).to.throw(
      /"worker301", "db" are not nodes of local cluster "kd" \(300 nodes: worker \.\.\. worker300\)/,
    );
  });
});
