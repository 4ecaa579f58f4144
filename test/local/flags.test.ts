import { expect } from "chai";
import { controlPlaneArgs, kwokArgs, kwokGroupArgs, type FlagInputs } from "../../src/providers/local/flags.ts";
import * as topo from "../../src/providers/local/topology.ts";
import type { Pki } from "../../src/providers/local/pki.ts";

const inputs: FlagInputs = {
  dir: "/state/c1",
  pki: {
    caCert: "ca.crt",
    servingCert: "s.crt",
    servingKey: "s.key",
    saKey: "sa.key",
    saPub: "sa.pub",
    tokenFile: "t.csv",
    tokens: {} as Pki["tokens"],
  },
  kubeconfigs: { admin: "a", "controller-manager": "cm", scheduler: "s", kwok: "k" },
  ports: { etcdClient: 40001, etcdPeer: 40002, apiServer: 40003 },
  stageConfig: "kwok.yaml",
};
const flag = (args: string[], name: string) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.split("=")
    .slice(1)
    .join("=");

describe("local provider: control-plane command lines", () => {
  const args = controlPlaneArgs(inputs);

  it("listens on 127.0.0.1 only, on the chosen ports", () => {
    expect(flag(args["kube-apiserver"], "bind-address")).to.equal("127.0.0.1");
    expect(flag(args["kube-apiserver"], "secure-port")).to.equal("40003");
    expect(flag(args.etcd, "listen-client-urls")).to.equal("http://127.0.0.1:40001");
    expect(flag(args.etcd, "listen-peer-urls")).to.equal("http://127.0.0.1:40002");
    expect(flag(args["kube-controller-manager"], "secure-port")).to.equal("0");
    expect(flag(args["kube-scheduler"], "secure-port")).to.equal("0");
    const every = Object.values(args).flat().join(" ");
    expect(every).not.to.match(/0\.0\.0\.0|\[::\]/);
  });

  it("uses the fixed CIDRs and lets the controller manager allocate node pod CIDRs", () => {
    expect(flag(args["kube-apiserver"], "service-cluster-ip-range")).to.equal(topo.SERVICE_CIDR);
    expect(flag(args["kube-controller-manager"], "cluster-cidr")).to.equal(topo.POD_CIDR);
    expect(flag(args["kube-controller-manager"], "allocate-node-cidrs")).to.equal("true");
  });

  it("notices a lost node in seconds: lease renewals every 2s, grace 8s", () => {
    expect(flag(args["kube-controller-manager"], "node-monitor-grace-period")).to.equal(
      `${topo.NODE_MONITOR_GRACE_S}s`,
    );
    expect(flag(args["kube-controller-manager"], "node-monitor-period")).to.equal(`${topo.NODE_MONITOR_PERIOD_S}s`);
    const kwok = kwokArgs(inputs, "worker3");
    expect(flag(kwok, "manage-single-node")).to.equal("worker3");
    const lease = Number(flag(kwok, "node-lease-duration-seconds"));
    // kwok renews at a quarter of the lease duration; the grace period must cover a few renewals
    expect(topo.NODE_MONITOR_GRACE_S).to.be.at.least((lease / 4) * 3);
  });

  it("has six nodes in three zones, two per zone, with explicit capacity", () => {
    const nodes = topo.defaultNodes();
    expect(nodes.map((n) => n.zone)).to.deep.equal(["zone-a", "zone-a", "zone-b", "zone-b", "zone-c", "zone-c"]);
    expect(new Set(nodes.map((n) => n.name)).size).to.equal(6);
    const obj = topo.nodeObject(nodes[0]!) as {
      status: { allocatable: Record<string, string> };
      metadata: { labels: Record<string, string> };
    };
    expect(obj.status.allocatable).to.include({ cpu: "4", memory: "8Gi", pods: "110" });
    expect(obj.metadata.labels["topology.kubernetes.io/region"]).to.equal(topo.REGION);
  });
  it("scale mode: a zone's kwok process selects its nodes by the group label, and nothing else", () => {
    const kwok = kwokGroupArgs(inputs, "zone-b");
    expect(flag(kwok, "manage-nodes-with-label-selector")).to.equal(`${topo.KWOK_GROUP_LABEL}=zone-b`);
    // kwok refuses --manage-single-node and --manage-all-nodes beside a selector
    expect(kwok.some((a) => /^--manage-(single-node|all-nodes)/.test(a))).to.equal(false);
    // an annotation selector is filtered inside kwok: a node whose annotation changes never leaves
    expect(kwok.some((a) => a.startsWith("--manage-nodes-with-annotation-selector"))).to.equal(false);
    expect(flag(kwok, "node-lease-duration-seconds")).to.equal(
      flag(kwokArgs(inputs, "worker"), "node-lease-duration-seconds"),
    );
    expect([flag(kwok, "kubeconfig"), flag(kwok, "config"), flag(kwok, "enable-crds")]).to.deep.equal([
      "k",
      "kwok.yaml",
      "Stage",
    ]);
  });

  it("scale mode: the controller manager's node CIDR size follows the node count", () => {
    expect(flag(args["kube-controller-manager"], "node-cidr-mask-size")).to.equal("24");
    const mask = (workers: number) =>
      flag(controlPlaneArgs({ ...inputs, workers })["kube-controller-manager"], "node-cidr-mask-size");
    expect([mask(30), mask(256), mask(300)]).to.deep.equal(["24", "24", "25"]);
  });

  it("scale mode: the controller manager may send 200 requests/s (a lost zone's pods are marked one by one)", () => {
    expect(flag(args["kube-controller-manager"], "kube-api-qps")).to.equal(undefined);
    const scaled = controlPlaneArgs({ ...inputs, workers: 300 })["kube-controller-manager"];
    expect([flag(scaled, "kube-api-qps"), flag(scaled, "kube-api-burst")]).to.deep.equal(["200", "400"]);
  });
});

describe("local provider and kind-config.yaml describe the same cluster", () => {
  it("uses the same pod and service CIDRs and the same zones", async () => {
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const cfg = parse(readFileSync(new URL("../../kind-config.yaml", import.meta.url), "utf8")) as {
      networking: { podSubnet: string; serviceSubnet: string };
      nodes: { role: string; labels?: Record<string, string> }[];
    };
    expect(cfg.networking.podSubnet).to.equal(topo.POD_CIDR);
    expect(cfg.networking.serviceSubnet).to.equal(topo.SERVICE_CIDR);
    const workers = cfg.nodes.filter((n) => n.role === "worker");
    expect(workers.map((n) => n.labels?.["topology.kubernetes.io/zone"])).to.deep.equal(
      topo.defaultNodes().map((n) => n.zone),
    );
  });
});
