import { expect } from "chai";
import { collectSnapshot } from "../../src/diagnose/collect.ts";
import { isMissingOrForbidden } from "../../src/diagnose/util/api-errors.ts";
import { KubedrillError } from "../../src/errors.ts";
import { ipPool, node, pod, secretName, service } from "./fixtures/builders.ts";
import { diagnoseKube, listed, statusError } from "./fixtures/kube.ts";

const objects = () => [
  node("n1"),
  pod("a", "shop"),
  pod("b", "other"),
  service("api", "shop", { app: "api" }),
  ipPool("default-ipv4-ippool", "10.244.0.0/16"),
];
const network = { serviceCIDR: "10.96.0.0/12", podCIDR: "10.244.0.0/16" };

describe("diagnose: collectSnapshot", () => {
  it("lists every type, all namespaces by default", async () => {
    const kube = diagnoseKube(objects());
    const s = await collectSnapshot(kube, { network });
    expect(s.nodes.map((n) => n.metadata.name)).to.deep.equal(["n1"]);
    expect(s.pods.map((p) => p.metadata.name)).to.deep.equal(["a", "b"]);
    expect(s.ipPools).to.have.length(1);
    expect(s.network).to.deep.equal(network);
    expect(s.namespace).to.equal(undefined);
    expect(listed(kube)).to.have.length(21);
    expect(listed(kube).every((c) => c.namespace === undefined)).to.equal(true);
  });

  it("narrows namespaced lists only; cluster-scoped ones stay cluster-wide", async () => {
    const kube = diagnoseKube(objects());
    const s = await collectSnapshot(kube, { namespace: "shop", network });
    expect(s.namespace).to.equal("shop");
    expect(s.pods.map((p) => p.metadata.name)).to.deep.equal(["a"]);
    const byKind = Object.fromEntries(listed(kube).map((c) => [c.kind, c.namespace]));
    expect(byKind).to.include({ Pod: "shop", Event: "shop", Ingress: "shop", NetworkPolicy: "shop" });
    for (const k of ["Node", "PersistentVolume", "StorageClass", "IngressClass", "IPPool"])
      expect(byKind[k], k).to.equal(undefined);
  });

  it("a 404 (CRD missing) or 403 (RBAC) list is an empty list", async () => {
    const kube = diagnoseKube(objects(), {
      IPPool: statusError(404, "GET /apis/crd.projectcalico.org/v1/ippools: NotFound (404)"),
      Node: statusError(403, 'nodes is forbidden: User "dev" cannot list resource "nodes"'),
    });
    const s = await collectSnapshot(kube, { network });
    expect(s.ipPools).to.deep.equal([]);
    expect(s.nodes).to.deep.equal([]);
    expect(s.pods).to.have.length(2);
    expect(s.unreadable).to.deep.equal(["nodes", "ipPools"]);
  });

  it("lists Secrets as metadata only and keeps nothing but their metadata", async () => {
    const leaked = { ...secretName("shop-tls", "shop"), data: { "tls.key": "c2VjcmV0" }, type: "kubernetes.io/tls" };
    const kube = diagnoseKube([...objects(), leaked]);
    const s = await collectSnapshot(kube, { network });
    expect(
      listed(kube)
        .filter((c) => c.metadataOnly)
        .map((c) => c.kind),
    ).to.deep.equal(["Secret"]);
    expect(s.secretNames.map((o) => o.metadata.name)).to.deep.equal(["shop-tls"]);
    expect(Object.keys(s.secretNames[0]!).sort()).to.deep.equal(["apiVersion", "kind", "metadata"]);
    expect(s.unreadable).to.equal(undefined);
  });

  it("any other failure is an error naming the type", async () => {
    const kube = diagnoseKube(objects(), {
      Pod: statusError(500, "GET /api/v1/pods: InternalError (500): etcdserver: request timed out"),
    });
    let caught: unknown;
    await collectSnapshot(kube, { network }).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(KubedrillError);
    expect((caught as Error).message).to.equal(
      "listing Pod (v1): GET /api/v1/pods: InternalError (500): etcdserver: request timed out",
    );
  });

  it("discovers the ranges from ServiceCIDR objects and kubeadm-config when not given", async () => {
    const serviceCidr = {
      apiVersion: "networking.k8s.io/v1",
      kind: "ServiceCIDR",
      metadata: { name: "kubernetes" },
      spec: { cidrs: ["10.96.0.0/12"] },
    };
    const kubeadm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kubeadm-config", namespace: "kube-system" },
      data: {
        ClusterConfiguration:
          "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.97.0.0/16\n",
      },
    };
    const s = await collectSnapshot(diagnoseKube([...objects(), serviceCidr, kubeadm]));
    expect(s.network).to.deep.equal({ serviceCIDR: "10.96.0.0/12", podCIDR: "10.244.0.0/16" });
    const given = await collectSnapshot(diagnoseKube([serviceCidr, kubeadm]), {
      network: { podCIDR: "192.168.0.0/16" },
    });
    expect(given.network).to.deep.equal({ serviceCIDR: "10.96.0.0/12", podCIDR: "192.168.0.0/16" });
  });

  it("falls back to kube-proxy's clusterCIDR, and to nothing when everything is forbidden", async () => {
    const proxy = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kube-proxy", namespace: "kube-system" },
      data: {
        "config.conf":
          "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n",
      },
    };
    const s = await collectSnapshot(
      diagnoseKube([proxy], {
        ServiceCIDR: new KubedrillError('the API server has no kind "ServiceCIDR" in networking.k8s.io/v1'),
      }),
    );
    expect(s.network).to.deep.equal({ podCIDR: "10.244.0.0/16" });
    const none = await collectSnapshot(
      diagnoseKube([], {
        ServiceCIDR: statusError(403, "forbidden"),
        "get:kubeadm-config": statusError(403, "forbidden"),
        "get:kube-proxy": statusError(403, "forbidden"),
      }),
    );
    expect(none.network).to.deep.equal({});
  });

  it("classifies errors by status code first, then by message", () => {
    expect(isMissingOrForbidden(statusError(404, "x"))).to.equal(true);
    expect(isMissingOrForbidden(statusError(500, "not found in message"))).to.equal(false);
    expect(isMissingOrForbidden(new KubedrillError("wrapped", { cause: statusError(403, "x") }))).to.equal(true);
    expect(isMissingOrForbidden(new Error("the server could not find the requested resource"))).to.equal(true);
    expect(isMissingOrForbidden(new Error("connect ECONNREFUSED 127.0.0.1:6443"))).to.equal(false);
  });
});
