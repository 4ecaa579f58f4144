import { expect } from "chai";
import { KubedrillError } from "../../src/errors.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { CAPABILITIES, CAPABILITY_NAMES, describeNeed, providedBy } from "../../src/providers/capabilities.ts";
import { discoverCapabilities } from "../../src/providers/kubeconfig/discover.ts";
import { localCapabilities } from "../../src/providers/local/index.ts";
import { FIDELITY_PROVIDERS } from "../../src/sdk/plugin.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";

const node = (name: string, annotations: Record<string, string> = {}): KObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, annotations },
  status: { conditions: [{ type: "Ready", status: "True" }] },
});

const kubeDns: KObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "kube-dns", namespace: "kube-system" },
  spec: { clusterIP: "10.96.0.10" },
};

describe("cluster capabilities", () => {
  it("are defined once, each with its meaning and an answer for every provider", () => {
    for (const name of CAPABILITY_NAMES) {
      expect(CAPABILITIES[name].means, name).to.match(/^an? /);
      expect(Object.keys(CAPABILITIES[name].on).sort(), name).to.deep.equal([...FIDELITY_PROVIDERS].sort());
    }
    expect(describeNeed("authRegistry")).to.equal(
      "authRegistry (an image registry that requires credentials, which the nodes pull from: local real nodes, kind when found there)",
    );
    expect(providedBy("clusterDNS")).to.equal("local real nodes, kind, k3s, an existing cluster when found there");
  });

  it("the local cluster has all of them on real nodes and none on kwok nodes", () => {
    expect(localCapabilities("real")).to.deep.equal({
      nodes: "real",
      realDataPlane: true,
      kubedrillImages: true,
      authRegistry: true,
      nodeEgressFirewall: true,
      clusterDNS: true,
      nodeDisk: true,
    });
    expect(providedBy("nodeDisk")).to.equal("local real nodes");
    const kwok = localCapabilities("kwok");
    expect(CAPABILITY_NAMES.filter((n) => kwok[n])).to.deep.equal([]);
    expect(kwok.nodes).to.equal("kwok");
  });

  describe("an existing cluster (kubeconfig), asked through the API", () => {
    it("has a real data plane and cluster DNS when no node is kwok's and kube-system/kube-dns exists", async () => {
      const kube = new FakeKube();
      kube.put(node("gke-1"));
      kube.put(node("gke-2"));
      kube.put(kubeDns);
      expect(await discoverCapabilities(kube, memoryLogger())).to.deep.equal({
        nodes: "real",
        realDataPlane: true,
        clusterDNS: true,
      });
    });

    it("has neither when a node is a kwok node, kube-dns Service or not", async () => {
      const kube = new FakeKube();
      kube.put(node("real-1"));
      kube.put(node("fake-1", { "kwok.x-k8s.io/node": "fake" }));
      kube.put(kubeDns);
      expect(await discoverCapabilities(kube, memoryLogger())).to.deep.equal({ nodes: "kwok" });
    });

    it("has no cluster DNS without the kube-dns Service, and nothing it cannot know", async () => {
      const kube = new FakeKube();
      kube.put(node("gke-1"));
      const caps = await discoverCapabilities(kube, memoryLogger());
      expect(caps).to.deep.equal({ nodes: "real", realDataPlane: true });
      expect(caps.authRegistry).to.equal(undefined);
      expect(caps.nodeEgressFirewall).to.equal(undefined);
    });

    it("answers no when it may not list Nodes (least-privilege RBAC), and says why in the debug log", async () => {
      const kube = new FakeKube();
      kube.put(node("gke-1"));
      kube.put(kubeDns);
      kube.failAlways("list", new KubedrillError("nodes is forbidden"), (a) => (a[0] as KObject).kind === "Node");
      const log = memoryLogger();
      expect(await discoverCapabilities(kube, log)).to.deep.equal({});
      expect(kube.callsOf("get"), "no DNS lookup without a data plane").to.have.length(0);
      expect(log.lines.filter((l) => l.level === "debug").map((l) => l.message)).to.include(
        "cannot list Nodes (no real data plane assumed): nodes is forbidden",
      );
    });
  });
});
