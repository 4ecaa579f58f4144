import { expect } from "chai";
import { workloadObjects } from "../../bench/zone-outage/workload.ts";
import { optionsFromEnv } from "../../bench/zone-outage.ts";

describe("bench zone-outage: workload and sizes", () => {
  for (const pods of [300, 3000, 250]) {
    it(`makes ${pods} pods in Deployments of at most 100, each spread over the zones`, () => {
      const [ns, ...deployments] = workloadObjects("zone-load", pods);
      expect(ns!.kind).to.equal("Namespace");
      const replicas = deployments.map((d) => d.spec.replicas as number);
      expect(replicas.reduce((a, b) => a + b, 0)).to.equal(pods);
      expect(Math.max(...replicas)).to.be.at.most(100);
      expect(new Set(deployments.map((d) => d.metadata.name)).size).to.equal(deployments.length);
      for (const d of deployments)
        expect(d.spec.template.spec.topologySpreadConstraints[0]).to.include({
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          maxSkew: 1,
        });
    });
  }

  it("takes its sizes from the environment, 300 nodes and 3,000 pods by default", () => {
    expect(optionsFromEnv({})).to.deep.equal({ workers: 300, pods: 3000, lagSignals: 200, lagLoad: 300, keep: false });
    expect(optionsFromEnv({ BENCH_ZONE_NODES: "30", BENCH_ZONE_PODS: "300", BENCH_ZONE_LAG_SIGNALS: "0" })).to.include({
      workers: 30,
      pods: 300,
      lagSignals: 0,
    });
  });
});
