import { expect } from "chai";
import { networkPolicyEgressAnalyser } from "../../src/diagnose/analysers/network-policy-egress.ts";
import { networkPolicyNoMatchAnalyser } from "../../src/diagnose/analysers/network-policy-no-match.ts";
import { nodeProblemAnalyser } from "../../src/diagnose/analysers/node-problem.ts";
import { pvcLostAnalyser } from "../../src/diagnose/analysers/pvc-lost.ts";
import { podOnLostNodeAnalyser } from "../../src/diagnose/analysers/pod-on-lost-node.ts";
import { clusterDNSAnalyser } from "../../src/diagnose/analysers/cluster-dns.ts";
import {
  deployment,
  emptySnapshot,
  endpointSlice,
  namespace,
  networkPolicy,
  node,
  pod,
  pvc,
  service,
} from "./fixtures/builders.ts";

const api = () => pod("api-1", "shop", { labels: { app: "api" }, node: "w1" });
const DNS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ],
};

describe("diagnose: NetworkPolicy selectors and egress, node problems, lost claims", () => {
  it("NetworkPolicyNoMatch: a podSelector no pod carries, a peer namespaceSelector no namespace carries", () => {
    const typo = networkPolicy("api-only", "shop", {
      podSelector: { matchLabels: { app: "apii" } },
      policyTypes: ["Ingress"],
    });
    const peer = networkPolicy("from-monitoring", "shop", {
      podSelector: { matchLabels: { app: "api" } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "monitoring" } } }] }],
    });
    const namespaces = [namespace("shop"), namespace("kube-system")];
    const found = networkPolicyNoMatchAnalyser.analyse(
      emptySnapshot({ pods: [api()], networkPolicies: [typo, peer], namespaces }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      'NetworkPolicy shop/api-only selects no pods: no pod in shop matches podSelector {"matchLabels":{"app":"apii"}}, so it protects nothing',
      'NetworkPolicy shop/from-monitoring ingress[0].from namespaceSelector {"matchLabels":{"team":"monitoring"}} matches no namespace, so that peer admits nothing',
    ]);
    expect(found.every((f) => f.severity === "warning")).to.equal(true);
    namespaces.push(namespace("monitoring", { team: "monitoring" }));
    const fixed = networkPolicy("api-only", "shop", { podSelector: { matchLabels: { app: "api" } } });
    const deny = networkPolicy("default-deny", "shop", { podSelector: {} });
    expect(
      networkPolicyNoMatchAnalyser.analyse(
        emptySnapshot({ pods: [api()], networkPolicies: [fixed, peer, deny], namespaces }),
      ),
    ).to.deep.equal([]);
  });

  it("NetworkPolicyEgressDenied: deny-all egress cuts the pods off, DNS included; rules without DNS break names", () => {
    const denyAll = networkPolicy("deny-egress", "shop", { podSelector: {}, policyTypes: ["Egress"] });
    const [f, ...rest] = networkPolicyEgressAnalyser.analyse(
      emptySnapshot({ pods: [api()], networkPolicies: [denyAll] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      "NetworkPolicy deny-egress in shop denies all egress from 1 pod(s) (api-1), DNS included: they cannot reach anything",
    );
    expect(f?.remedy).to.match(/starting with DNS/);
    const dbOnly = networkPolicy("to-db", "shop", {
      podSelector: { matchLabels: { app: "api" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: { matchLabels: { app: "db" } } }], ports: [{ port: 5432 }] }],
    });
    const [g] = networkPolicyEgressAnalyser.analyse(
      emptySnapshot({ pods: [api()], networkPolicies: [denyAll, dbOnly] }),
    );
    expect(g?.severity).to.equal("warning");
    expect(g?.message).to.equal(
      "NetworkPolicies deny-egress, to-db in shop allow no egress to DNS (port 53) for 1 pod(s) (api-1): names do not resolve",
    );
    const dns = networkPolicy("dns", "shop", { podSelector: {}, policyTypes: ["Egress"], egress: [DNS] });
    expect(
      networkPolicyEgressAnalyser.analyse(emptySnapshot({ pods: [api()], networkPolicies: [denyAll, dbOnly, dns] })),
    ).to.deep.equal([]);
    const ingressOnly = networkPolicy("in", "shop", { podSelector: {}, policyTypes: ["Ingress"] });
    expect(
      networkPolicyEgressAnalyser.analyse(emptySnapshot({ pods: [api()], networkPolicies: [ingressOnly] })),
    ).to.deep.equal([]);
  });

  it("NodeProblem: node-problem-detector conditions, critical for a kernel deadlock", () => {
    const n = node("w1");
    n.status.conditions.push(
      {
        type: "KernelDeadlock",
        status: "True",
        reason: "DockerHung",
        message: "kernel: INFO: task docker:20744 blocked for more than 120 seconds.",
      },
      {
        type: "FrequentKubeletRestart",
        status: "False",
        reason: "NoFrequentKubeletRestart",
        message: "kubelet is functioning properly",
      },
    );
    const ro = node("w2");
    ro.status.conditions.push({
      type: "FrequentContainerdRestart",
      status: "True",
      reason: "FrequentContainerdRestart",
      message: "containerd is restarting frequently",
    });
    const found = nodeProblemAnalyser.analyse(emptySnapshot({ nodes: [n, ro, node("w3")] }));
    expect(found.map((f) => `${f.severity} ${f.message}`)).to.deep.equal([
      "critical node w1 reports KernelDeadlock (DockerHung): kernel: INFO: task docker:20744 blocked for more than 120 seconds.",
      "warning node w2 reports FrequentContainerdRestart (FrequentContainerdRestart): containerd is restarting frequently",
    ]);
    expect(found[0]?.evidence).to.deep.equal([
      "KernelDeadlock=True DockerHung: kernel: INFO: task docker:20744 blocked for more than 120 seconds.",
    ]);
  });

  it("PVCLost: the claim's volume is gone, naming the pods that use it", () => {
    const lost = pvc("data-db-0", "shop", { volume: "pvc-9a1b" });
    lost.status = { phase: "Lost" };
    const user = pod("db-0", "shop", {
      node: "w1",
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-db-0" } }],
    });
    const [f] = pvcLostAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [lost, pvc("ok", "shop", { phase: "Bound" })], pods: [user] }),
    );
    expect(f?.message).to.equal(
      "claim shop/data-db-0 is Lost: its PersistentVolume pvc-9a1b no longer exists; used by pod db-0",
    );
    expect(f?.severity).to.equal("critical");
    expect(f?.remedy).to.match(/backup or snapshot/);
  });
  it("PodStuckOnLostNode: a StatefulSet member or a pod with a claim terminating on a node that is gone", () => {
    const gone = "2026-12-01T10:00:00Z";
    const lost = node("w2", {
      ready: "Unknown",
      taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }],
    });
    const terminating = (p: ReturnType<typeof pod>) => {
      p.metadata.deletionTimestamp = gone;
      return p;
    };
    const member = terminating(pod("ledger-0", "shop", { node: "w2", owner: { kind: "StatefulSet", name: "ledger" } }));
    const withClaim = terminating(
      pod("db-7c9", "shop", {
        node: "w2",
        owner: { kind: "ReplicaSet", name: "db-7c" },
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
      }),
    );
    const replaced = terminating(
      pod("web-5d-x", "shop", { node: "w2", owner: { kind: "ReplicaSet", name: "web-5d" } }),
    );
    const onHealthy = terminating(
      pod("ledger-1", "shop", { node: "w1", owner: { kind: "StatefulSet", name: "ledger" } }),
    );
    const running = pod("ledger-2", "shop", { node: "w2", owner: { kind: "StatefulSet", name: "ledger" } });
    const snap = emptySnapshot({ nodes: [node("w1"), lost], pods: [member, withClaim, replaced, onHealthy, running] });
    const found = podOnLostNodeAnalyser.analyse(snap);
    expect(found.map((f) => f.message)).to.deep.equal([
      `pod shop/ledger-0 has been terminating since ${gone} on node w2, which is not Ready: no kubelet will confirm the deletion, so StatefulSet ledger creates no replacement for it`,
      `pod shop/db-7c9 has been terminating since ${gone} on node w2, which is not Ready: no kubelet will confirm the deletion, so its claim data stays attached to that node`,
    ]);
    expect(found[0]?.evidence).to.include("node w2 taint node.kubernetes.io/unreachable:NoExecute");
    expect(found[0]?.remedy).to.match(/out-of-service=nodeshutdown:NoExecute/);
    // once the node carries the out-of-service taint, the pod GC force-deletes them: nothing to report
    lost.spec!.taints = [
      ...(lost.spec!.taints as unknown[]),
      { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" },
    ];
    expect(podOnLostNodeAnalyser.analyse(snap)).to.deep.equal([]);
  });

  it("ClusterDNSUnavailable: the kube-dns Service without a ready endpoint, or the DNS Deployment without its Service", () => {
    const dnsLabels = (o: ReturnType<typeof service>) => {
      o.metadata.labels = { "k8s-app": "kube-dns" };
      return o;
    };
    const svc = dnsLabels(service("kube-dns", "kube-system", { "k8s-app": "kube-dns" }, [{ port: 53 }]));
    svc.spec!.clusterIP = "10.96.0.10";
    const coredns = dnsLabels(deployment("coredns", "kube-system", 0));
    const none = endpointSlice("kube-dns", "kube-system", []);
    const found = clusterDNSAnalyser.analyse(
      emptySnapshot({ services: [svc], deployments: [coredns], endpointSlices: [none] }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      "the cluster DNS Service kube-system/kube-dns has no ready endpoint: name lookups from every pod fail (Deployment kube-system/coredns: scaled to 0)",
    ]);
    expect(found[0]?.evidence).to.include("clusterIP 10.96.0.10 (the nameserver in every pod's resolv.conf)");
    expect(found[0]?.remedy).to.match(/scale its Deployment up again/);
    // one ready endpoint is enough; an app's Service without endpoints is not the cluster DNS
    const ready = endpointSlice("kube-dns", "kube-system", [{ ip: "10.244.1.5", ready: true }]);
    const app = service("api", "shop", { app: "api" });
    expect(
      clusterDNSAnalyser.analyse(
        emptySnapshot({ services: [svc, app], deployments: [coredns], endpointSlices: [ready] }),
      ),
    ).to.deep.equal([]);
    const gone = clusterDNSAnalyser.analyse(
      emptySnapshot({ deployments: [dnsLabels(deployment("coredns", "kube-system", 2))] }),
    );
    expect(gone.map((f) => f.message)).to.deep.equal([
      "the cluster DNS Deployment kube-system/coredns: 2/2 replicas ready, has no Service labelled k8s-app=kube-dns in kube-system: pods send their lookups to an address nothing answers",
    ]);
    // services not readable: unknown, not missing
    expect(
      clusterDNSAnalyser.analyse(
        emptySnapshot({ deployments: [dnsLabels(deployment("coredns", "kube-system", 2))], unreadable: ["services"] }),
      ),
    ).to.deep.equal([]);
  });
});
