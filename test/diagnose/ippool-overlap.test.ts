import { expect } from "chai";
import { ipPoolOverlapAnalyser } from "../../src/diagnose/analysers/ippool-overlap.ts";
import { emptySnapshot, ipPool, node } from "./fixtures/builders.ts";

const network = { serviceCIDR: "10.96.0.0/12", podCIDR: "10.244.0.0/16" };
const nodes = () => [
  node("n1", { ip: "172.18.0.2", podCIDR: "10.244.1.0/24" }),
  node("n2", { ip: "172.18.0.3", podCIDR: "10.244.2.0/24" }),
];

describe("diagnose: IPPoolOverlap", () => {
  it("a pool equal to the pod CIDR is the normal setup (no finding), as is a pool inside it", () => {
    const pools = [ipPool("default-ipv4-ippool", "10.244.0.0/16")];
    expect(ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: pools, nodes: nodes(), network }))).to.deep.equal([]);
    expect(
      ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: [ipPool("sub", "10.244.128.0/17")], network })),
    ).to.deep.equal([]);
  });

  it("a pool overlapping the service CIDR is a fault", () => {
    const [f, ...rest] = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({ ipPools: [ipPool("new-pool", "10.100.0.0/16")], nodes: nodes(), network }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.code).to.equal("IPPoolOverlap");
    expect(f?.severity).to.equal("critical");
    expect(f?.object).to.deep.equal({ apiVersion: "crd.projectcalico.org/v1", kind: "IPPool", name: "new-pool" });
    expect(f?.message).to.equal(
      "IPPool new-pool (10.100.0.0/16) overlaps the service CIDR 10.96.0.0/12 (shared 10.100.0.0-10.100.255.255)",
    );
    expect(f?.evidence).to.deep.equal(["IPPool new-pool spec.cidr=10.100.0.0/16", "service CIDR 10.96.0.0/12"]);
    expect(f?.remedy).to.match(/non-overlapping Calico IPPool/);
  });

  it("a pool wider than the pod CIDR (holds it and more) is a fault, together with what else it hits", () => {
    const [f] = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({ ipPools: [ipPool("wide", "10.0.0.0/8")], nodes: nodes(), network }),
    );
    expect(f?.message).to.equal(
      "IPPool wide (10.0.0.0/8) overlaps the service CIDR 10.96.0.0/12 (shared 10.96.0.0-10.111.255.255); extends beyond the cluster pod CIDR 10.244.0.0/16 (a pool should equal it or lie inside it)",
    );
    const [g] = ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: [ipPool("wider", "10.244.0.0/15")], network }));
    expect(g?.message).to.equal(
      "IPPool wider (10.244.0.0/15) extends beyond the cluster pod CIDR 10.244.0.0/16 (a pool should equal it or lie inside it)",
    );
  });

  it("a pool disjoint from every known range is not an overlap", () => {
    expect(
      ipPoolOverlapAnalyser.analyse(
        emptySnapshot({ ipPools: [ipPool("elsewhere", "192.168.0.0/16")], nodes: nodes(), network }),
      ),
    ).to.deep.equal([]);
  });

  it("holds node InternalIPs", () => {
    const [f] = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({ ipPools: [ipPool("bad", "172.18.0.0/16")], nodes: nodes(), network }),
    );
    expect(f?.message).to.equal("IPPool bad (172.18.0.0/16) holds node addresses (n1 172.18.0.2, n2 172.18.0.3)");
    expect(f?.evidence).to.include("node InternalIP n1 172.18.0.2");
  });

  it("splits a node's podCIDR", () => {
    const n = node("n9", { ip: "172.18.0.9", podCIDR: "10.50.0.0/24" });
    const found = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({
        ipPools: [ipPool("half", "10.50.0.128/25"), ipPool("whole", "10.50.0.0/16", { disabled: true })],
        nodes: [n],
      }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      "IPPool half (10.50.0.128/25) splits node n9's podCIDR 10.50.0.0/24",
    ]);
    expect(
      ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: [ipPool("whole", "10.50.0.0/16")], nodes: [n] })),
    ).to.deep.equal([]);
  });

  it("ignores disabled pools; reports two enabled pools that overlap", () => {
    expect(
      ipPoolOverlapAnalyser.analyse(
        emptySnapshot({
          ipPools: [ipPool("old", "10.96.0.0/12", { disabled: true }), ipPool("default", "10.244.0.0/16")],
          network,
        }),
      ),
    ).to.deep.equal([]);
    const found = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({ ipPools: [ipPool("a", "10.244.0.0/16"), ipPool("b", "10.244.64.0/18")], network }),
    );
    expect(found.map((f) => f.message)).to.deep.equal(["IPPool b (10.244.64.0/18) overlaps IPPool a (10.244.0.0/16)"]);
  });

  it("does IPv6 maths for dual-stack", () => {
    const ds = { serviceCIDR: "10.96.0.0/12,fd00:10:96::/108", podCIDR: "10.244.0.0/16,fd00:10:244::/56" };
    expect(
      ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: [ipPool("v6", "fd00:10:244::/56")], network: ds })),
    ).to.deep.equal([]);
    const [f] = ipPoolOverlapAnalyser.analyse(
      emptySnapshot({ ipPools: [ipPool("v6", "fd00:10:96::/64")], network: ds }),
    );
    expect(f?.message).to.equal(
      "IPPool v6 (fd00:10:96::/64) overlaps the service CIDR fd00:10:96::/108 (shared fd00:10:96::-fd00:10:96::f:ffff)",
    );
  });

  it("without known ranges, only node checks and pool-vs-pool apply", () => {
    expect(ipPoolOverlapAnalyser.analyse(emptySnapshot({ ipPools: [ipPool("p", "10.96.0.0/12")] }))).to.deep.equal([]);
  });
});
