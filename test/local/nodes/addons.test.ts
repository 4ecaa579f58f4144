import { expect } from "chai";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { goSourceDir } from "../../../src/providers/local/paths.ts";
import { SERVICE_CIDR } from "../../../src/providers/local/topology.ts";
import { COREDNS_IMAGE, COREDNS_VERSION, writeCoreDNSImage } from "../../../src/providers/local/nodes/dns.ts";
import { CLUSTER_DNS_IP, COREFILE, clusterDNSObjects } from "../../../src/providers/local/nodes/dns-objects.ts";
import { kubeletConfig, reservedMemory } from "../../../src/providers/local/nodes/kubelet-config.ts";
import {
  KUBE_ROUTER_GROUP,
  KUBE_ROUTER_VERSION,
  kubeRouterRbac,
} from "../../../src/providers/local/nodes/network-policy.ts";
import { cidrContains } from "../../../harness/support/cidr.ts";

const read = (rel: string) => readFileSync(path.join(goSourceDir(), rel), "utf8");
const escape = (s: string) => s.replace(/[./]/g, "\\$&");

describe("real nodes: network policy and cluster DNS add-ons", () => {
  it("builds kube-router and CoreDNS from wrapper modules at the declared versions, with go.sum entries", () => {
    const kr = "github.com/cloudnativelabs/kube-router/v2";
    expect(read("kube-router/go.mod")).to.match(
      new RegExp(`^\\s*${escape(kr)} ${escape(KUBE_ROUTER_VERSION)}\\b`, "m"),
    );
    expect(read("kube-router/go.mod")).to.match(new RegExp(`^tool ${escape(kr)}/cmd/kube-router$`, "m"));
    expect(read("kube-router/go.sum")).to.include(`${kr} ${KUBE_ROUTER_VERSION} h1:`);
    expect(read("coredns/go.mod")).to.match(
      new RegExp(`^require github\\.com/coredns/coredns ${escape(COREDNS_VERSION)}$`, "m"),
    );
    expect(read("coredns/go.sum")).to.include(`github.com/coredns/coredns ${COREDNS_VERSION} h1:`);
  });

  it("links every plugin the Corefile names, and lists them as CoreDNS directives", () => {
    const main = read("coredns/main.go");
    const linked = [...main.matchAll(/"github\.com\/coredns\/coredns\/plugin\/(\w+)"/g)].map((m) => m[1]);
    const directives = JSON.parse(/var directives = \[\]string(\{.*\})/.exec(main)![1]!.replace(/^\{(.*)\}$/, "[$1]"));
    expect([...linked].sort()).to.deep.equal([...directives].sort());
    const used = [...COREFILE.matchAll(/^ {4}(\w+)/gm)].map((m) => m[1]);
    expect(used).to.include("kubernetes");
    for (const p of used) expect(linked, `Corefile plugin ${p}`).to.include(p);
  });

  it("puts the kube-dns Service at the address kubelet gives pods, inside the service CIDR", () => {
    const svc = clusterDNSObjects(COREDNS_IMAGE).find((o) => o.kind === "Service") as { spec: { clusterIP: string } };
    expect(svc.spec.clusterIP).to.equal(CLUSTER_DNS_IP);
    expect(cidrContains(SERVICE_CIDR, CLUSTER_DNS_IP)).to.equal(true);
    const kubelet = JSON.parse(
      kubeletConfig({
        nodeIP: "10.250.1.10",
        caCert: "ca",
        socket: "s",
        cgroupRoot: "/x",
        hostMemory: 24 * 1024 ** 3,
        nodeMemory: "8Gi",
      }),
    );
    expect(kubelet.clusterDNS).to.deep.equal([svc.spec.clusterIP]);
    expect(kubelet.clusterDomain).to.equal("cluster.local");
    const deploy = clusterDNSObjects("img:1").find((o) => o.kind === "Deployment") as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[]; dnsPolicy: string } } };
    };
    expect(deploy.spec.replicas).to.equal(2);
    expect(deploy.spec.template.spec.containers[0]!.image).to.equal("img:1");
    expect(deploy.spec.template.spec.dnsPolicy, "CoreDNS must not resolve through itself").to.equal("Default");
  });

  it("reserves the host's memory above the topology's, so allocatable memory is the node's 8Gi", () => {
    const gi = 1024 ** 3;
    expect(reservedMemory(24 * gi + 5 * 1024 * 1024 + 123, "8Gi")).to.equal(16 * gi + 5 * 1024 * 1024);
    expect(reservedMemory(4 * gi, "8Gi"), "a host smaller than a node reserves nothing").to.equal(0);
    const kubelet = JSON.parse(
      kubeletConfig({
        nodeIP: "n",
        caCert: "c",
        socket: "s",
        cgroupRoot: "/x",
        hostMemory: 24 * gi,
        nodeMemory: "8Gi",
      }),
    );
    expect(kubelet.systemReserved).to.deep.equal({ memory: String(16 * gi) });
  });

  it("packages the CoreDNS binary as an image named COREDNS_IMAGE", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kd-dns-"));
    try {
      const bin = path.join(dir, "coredns-bin");
      await fs.writeFile(bin, "ELF-coredns");
      const archive = await fs.readFile(await writeCoreDNSImage(dir, bin));
      expect(archive.includes(Buffer.from(`"io.containerd.image.name":"${COREDNS_IMAGE}"`))).to.equal(true);
      expect(archive.includes(Buffer.from('"Entrypoint":["/coredns"]'))).to.equal(true);
      expect(archive.includes(Buffer.from("ELF-coredns"))).to.equal(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("binds kube-router's read-only role to the group its node certificates carry, with network policies in it", () => {
    const [role, binding] = kubeRouterRbac() as [
      { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] },
      { subjects: { kind: string; name: string }[] },
    ];
    expect(binding.subjects).to.deep.equal([
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: KUBE_ROUTER_GROUP },
    ]);
    const granted = role.rules.flatMap((r) => r.resources);
    for (const r of ["pods", "namespaces", "networkpolicies", "nodes"]) expect(granted).to.include(r);
    for (const r of role.rules) expect(r.verbs).to.deep.equal(["get", "list", "watch"]);
  });
});
