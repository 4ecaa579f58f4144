import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { UsageError } from "../../src/errors.ts";
import { DEFAULT_KIND_CONFIG, deriveKindConfig, readKindConfig } from "../../src/providers/kind/config.ts";
import { fakeEnv, rejection } from "./helpers.ts";
import { KIND_CERTS_DIR } from "../../src/providers/kind/registries.ts";

type Node = {
  role: string;
  labels?: Record<string, string>;
  extraPortMappings?: { containerPort: number; hostPort: number; protocol: string }[];
};

describe("kind-config.yaml", () => {
  let cfg: {
    kind: string;
    apiVersion: string;
    networking: Record<string, unknown>;
    nodes: Node[];
    kubeadmConfigPatches: string[];
    containerdConfigPatches: string[];
  };
  before(async () => {
    cfg = parse(await readFile(DEFAULT_KIND_CONFIG, "utf8"));
  });

  it("is a kind v1alpha4 Cluster with the project's fixed CIDRs, kindnet enabled, kube-proxy in nftables mode", () => {
    expect([cfg.kind, cfg.apiVersion]).to.deep.equal(["Cluster", "kind.x-k8s.io/v1alpha4"]);
    expect(cfg.networking).to.deep.equal({
      podSubnet: "10.244.0.0/16",
      serviceSubnet: "10.96.0.0/16",
      kubeProxyMode: "nftables",
    });
  });

  it("points containerd at the folder where the provider writes its registries' hosts.toml", () => {
    expect(cfg.containerdConfigPatches).to.have.length(1);
    const toml = cfg.containerdConfigPatches[0]!;
    expect(toml).to.match(/^\[plugins\."io\.containerd\.grpc\.v1\.cri"\.registry\]$/m);
    expect(toml).to.match(new RegExp(`^\\s*config_path = "${KIND_CERTS_DIR}"$`, "m"));
  });

  it("has one control plane and six workers, two per zone, all in region-1", () => {
    expect(cfg.nodes.map((n) => n.role)).to.deep.equal(["control-plane", ...Array(6).fill("worker")]);
    const zones = cfg.nodes.slice(1).map((n) => n.labels?.["topology.kubernetes.io/zone"]);
    expect(zones).to.deep.equal(["zone-a", "zone-a", "zone-b", "zone-b", "zone-c", "zone-c"]);
    for (const n of cfg.nodes) expect(n.labels?.["topology.kubernetes.io/region"]).to.equal("region-1");
  });

  it("labels the control plane ingress-ready and maps ports 80 and 443", () => {
    const cp = cfg.nodes[0]!;
    expect(cp.labels?.["ingress-ready"]).to.equal("true");
    expect(cp.extraPortMappings!.map((m) => [m.containerPort, m.hostPort, m.protocol])).to.deep.equal([
      [80, 80, "TCP"],
      [443, 443, "TCP"],
    ]);
  });

  it("patches the controller manager's node-monitor-grace-period and the kubelet's disk thresholds", () => {
    const patches = cfg.kubeadmConfigPatches.flatMap((p) => parseAllDocuments(p).map((d) => d.toJS()));
    const cm = patches.find((p) => p.kind === "ClusterConfiguration");
    expect(cm.controllerManager.extraArgs).to.deep.equal({ "node-monitor-grace-period": "20s" });
    const kubelet = patches.find((p) => p.kind === "KubeletConfiguration");
    expect(kubelet.evictionHard).to.deep.equal({
      "memory.available": "100Mi",
      "nodefs.available": "10%",
      "nodefs.inodesFree": "5%",
      "imagefs.available": "10%",
    });
    expect(kubelet.imageGCHighThresholdPercent).to.be.within(51, 89);
    expect(kubelet.imageGCLowThresholdPercent).to.be.below(kubelet.imageGCHighThresholdPercent);
    // The filler leaves 5% free: past the eviction threshold and past image GC's high mark.
    expect(100 - kubelet.imageGCHighThresholdPercent).to.be.above(5);
  });

  it("documents the Calico option in a comment", async () => {
    expect(await readFile(DEFAULT_KIND_CONFIG, "utf8")).to.match(/#\s*disableDefaultCNI: true/);
  });
});

describe("readKindConfig / deriveKindConfig", () => {
  it("reads the node count and CIDRs", async () => {
    const c = await readKindConfig(DEFAULT_KIND_CONFIG);
    expect(c).to.deep.include({
      nodes: 7,
      podSubnet: "10.244.0.0/16",
      serviceSubnet: "10.96.0.0/16",
      disableDefaultCNI: false,
    });
  });

  it("derives a Calico config with disableDefaultCNI set, keeping everything else and the comments", async () => {
    const text = await readFile(DEFAULT_KIND_CONFIG, "utf8");
    const derived = deriveKindConfig(text, { disableDefaultCNI: true });
    const a = parse(text);
    const b = parse(derived);
    expect(b.networking).to.deep.equal({ ...a.networking, disableDefaultCNI: true });
    expect({ ...b, networking: undefined }).to.deep.equal({ ...a, networking: undefined });
    expect(derived).to.include("# derived by kubedrill").and.include("node-monitor-grace-period");
    expect(derived).to.include("# Node heartbeats");
  });

  it("names the file and position of a broken config, and rejects a config that is not a kind Cluster", async () => {
    const fake = await fakeEnv();
    try {
      const bad = join(fake.dir, "bad.yaml");
      await writeFile(bad, "kind: Cluster\nnodes:\n  - role: worker\n   labels: {a: b}\n");
      const err = await rejection(() => readKindConfig(bad));
      expect(err).to.be.instanceOf(UsageError);
      expect(err.message).to.match(new RegExp(`^${bad}:\\d+:\\d+: `));
      const wrong = join(fake.dir, "wrong.yaml");
      await writeFile(wrong, "kind: Config\napiVersion: v1\n");
      expect((await rejection(() => readKindConfig(wrong))).message).to.include('must be "kind: Cluster"');
    } finally {
      await fake.cleanup();
    }
  });
});
