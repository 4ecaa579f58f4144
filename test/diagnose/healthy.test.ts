import { expect } from "chai";
import { analyseAll, analysers } from "../../src/diagnose/index.ts";
import { healthyShop } from "./fixtures/healthy-shop.ts";

describe("diagnose: healthy cluster", () => {
  it("the fixture is what it claims: 6 Ready nodes in 3 zones, pool equal to the pod CIDR", () => {
    const s = healthyShop();
    expect(s.nodes).to.have.length(6);
    expect(new Set(s.nodes.map((n) => n.metadata.labels?.["topology.kubernetes.io/zone"]))).to.have.property("size", 3);
    expect(s.ipPools[0]?.spec.cidr).to.equal(s.network.podCIDR);
    expect(s.persistentVolumeClaims[0]?.status.phase).to.equal("Bound");
    expect(s.statefulSets[0]?.spec.serviceName).to.equal("redis");
    expect(s.deployments).to.have.length(3);
    expect(s.ingresses[0]?.spec.tls[0].secretName).to.equal("shop-tls");
    expect(s.networkPolicies.map((p) => p.spec.policyTypes[0])).to.deep.equal(["Ingress", "Egress"]);
  });

  it("yields zero findings from analyseAll", () => {
    expect(analyseAll(healthyShop())).to.deep.equal([]);
  });

  for (const a of analysers) {
    it(`${a.codes.join("/")} is silent`, () => {
      expect(a.analyse(healthyShop())).to.deep.equal([]);
    });
  }
});
