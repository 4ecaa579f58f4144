import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { KObject } from "../../src/k8s/types.ts";
import { analyseAll, analysers, compareFindings } from "../../src/diagnose/index.ts";
import type { Analyser, Finding, FindingCode } from "../../src/diagnose/types.ts";
import { emptySnapshot, ipPool, node, pod, resourceQuota, service } from "./fixtures/builders.ts";

const ALL_CODES: FindingCode[] = [
  "InsufficientResources",
  "QuotaExceeded",
  "AffinityUnsatisfiable",
  "NodeNotReady",
  "PVCUnbound",
  "IPPoolOverlap",
  "IngressConflict",
  "NodeDiskPressure",
  "NodeMemoryPressure",
  "NodePIDPressure",
  "ServiceNoEndpoints",
  "NetworkPolicyIsolation",
  "ImagePullFailure",
  "CrashLoop",
  "IngressBackendMissing",
  "IngressClassMissing",
  "IngressTLSSecretMissing",
  "UntoleratedTaint",
  "SchedulingGated",
  "ReadinessProbeFailing",
  "PodEvicted",
  "SandboxCreationFailed",
  "ContainerConfigError",
  "ContainerFailed",
  "OOMKilled",
  "ServicePartlyReady",
  "ServiceTargetPortMismatch",
  "PVCLost",
  "StatefulSetServiceMissing",
  "PodCreateRejected",
  "JobFailed",
  "NetworkPolicyNoMatch",
  "NetworkPolicyEgressDenied",
  "NodeProblem",
  "PodStuckOnLostNode",
  "ClusterDNSUnavailable",
];

function kubectlLists(file: string): Record<string, KObject[]> {
  const raw = JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as Record<
    string,
    { items: KObject[] }
  >;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.items]));
}

describe("diagnose: analyseAll", () => {
  it("the analysers cover every FindingCode exactly once", () => {
    const codes = analysers.flatMap((a) => [...a.codes]);
    expect([...codes].sort()).to.deep.equal([...ALL_CODES].sort());
  });

  it("zone outage from `kubectl get -o json` output: two NodeNotReady and one AffinityUnsatisfiable, sorted", () => {
    const lists = kubectlLists("zone-outage.json");
    const found = analyseAll(emptySnapshot({ nodes: lists.nodes, pods: lists.pods, events: lists.events }));
    expect(found.map((f) => `${f.severity} ${f.code} ${f.object.name}`)).to.deep.equal([
      "critical AffinityUnsatisfiable orders-6c8f9d7b5-q7w2x",
      "critical NodeNotReady drill-a1",
      "critical NodeNotReady drill-a2",
    ]);
    expect(found[0]?.message).to.equal(
      "pod drill-zone/orders-6c8f9d7b5-q7w2x requires topology.kubernetes.io/zone In [zone-a], which no Ready schedulable node satisfies: the 2 matching nodes are down (drill-a1 NotReady, drill-a2 NotReady); zone zone-a has no Ready nodes (0/2)",
    );
    expect(found[1]?.message).to.equal(
      "node drill-a1 in zone zone-a is NotReady: Ready=Unknown (NodeStatusUnknown), tainted node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute; zone zone-a has 0/2 nodes Ready (the whole zone is down)",
    );
    expect(found[1]?.evidence).to.include("NodeNotReady: Node drill-a1 status is now: NodeNotReady");
  });

  it("sorts by severity, then code, then object", () => {
    const f = (severity: Finding["severity"], code: FindingCode, name: string, namespace?: string): Finding => ({
      code,
      severity,
      object: { kind: "X", name, ...(namespace ? { namespace } : {}) },
      message: "",
      evidence: [],
      remedy: "",
    });
    const list = [
      f("info", "PVCUnbound", "a"),
      f("warning", "IngressConflict", "b"),
      f("critical", "QuotaExceeded", "c"),
      f("critical", "CrashLoop", "z", "ns2"),
      f("critical", "CrashLoop", "y", "ns1"),
    ];
    expect(list.sort(compareFindings).map((x) => `${x.severity}/${x.code}/${x.object.name}`)).to.deep.equal([
      "critical/CrashLoop/y",
      "critical/CrashLoop/z",
      "critical/QuotaExceeded/c",
      "warning/IngressConflict/b",
      "info/PVCUnbound/a",
    ]);
  });

  it("mixes findings of several analysers", () => {
    const s = emptySnapshot({
      nodes: [node("n1", { ip: "10.96.0.10" })],
      services: [service("api", "shop", { app: "api" })],
      pods: [pod("x", "shop", { labels: { app: "other" }, node: "n1" })],
      ipPools: [ipPool("default-ipv4-ippool", "10.96.0.0/16")],
      resourceQuotas: [resourceQuota("q", "shop", { pods: "1" }, { pods: "1" })],
      network: { serviceCIDR: "10.96.0.0/12", podCIDR: "10.244.0.0/16" },
    });
    expect(analyseAll(s).map((x) => `${x.severity} ${x.code}`)).to.deep.equal([
      "critical IPPoolOverlap",
      "warning ServiceNoEndpoints",
    ]);
  });

  it("an analyser that throws: rethrown with context by default, reported through onError when given", () => {
    const bad: Analyser = {
      codes: ["CrashLoop"],
      analyse: () => {
        throw new Error("boom");
      },
    };
    analysers.push(bad);
    try {
      expect(() => analyseAll(emptySnapshot())).to.throw("analyser for CrashLoop: boom");
      const errors: string[] = [];
      expect(analyseAll(emptySnapshot(), (err) => errors.push(err.message))).to.deep.equal([]);
      expect(errors).to.deep.equal(["analyser for CrashLoop: boom"]);
    } finally {
      analysers.pop();
    }
  });
});
