// Integration: `kubedrill diagnose` on the real local control plane: a healthy shop
// diagnoses clean; failures the control plane produces for real give exactly the
// expected findings.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { localProvider } from "../src/providers/local/index.ts";
import { createKube } from "../src/k8s/client.ts";
import { createLogger } from "../src/util/log.ts";
import type { Kube } from "../src/k8s/kube.ts";
import type { KObject } from "../src/k8s/types.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import type { Finding } from "../src/diagnose/types.ts";
import { kubedrill } from "./support/cli.ts";
import { waitUntil } from "./support/wait.ts";
import { healthyExtras, peerSituations, PEER_CODES, PEERS_NS, TAINTED } from "./support/diagnose-peers.ts";

const NS = "shop-diag";

async function diagnose(
  kubeconfig: string,
  namespace = NS,
): Promise<{ exitCode: number | undefined; findings: Finding[] }> {
  const r = await kubedrill(["diagnose", "--namespace", namespace, "--output", "json", "--kubeconfig", kubeconfig]);
  if (!r.stdout.trim()) throw new Error(`diagnose printed nothing (exit ${r.exitCode}): ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as { findings: Finding[] } | Finding[];
  return { exitCode: r.exitCode, findings: Array.isArray(parsed) ? parsed : parsed.findings };
}

describe("kubedrill diagnose on the local control plane", function () {
  this.timeout(10 * 60_000);
  const name = `it-diag-${process.pid}`;
  let cluster: StartedCluster;
  let kube: Kube;

  before(async () => {
    cluster = await localProvider().start({
      name,
      log: createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) }),
    });
    kube = createKube(cluster.kubeconfigPath);
    await kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    const text = readFileSync(new URL("../scenarios/manifests/shop.yaml", import.meta.url), "utf8").replaceAll(
      "${namespace}",
      NS,
    );
    for (const doc of parseAllDocuments(text))
      await kube.apply({
        ...(doc.toJS() as KObject),
        metadata: { ...(doc.toJS() as KObject).metadata, namespace: NS },
      });
    // The rest of a healthy multi-service app: the Ingress's class, and a StatefulSet whose
    // claim binds to a pre-created volume, behind its headless Service.
    for (const o of healthyExtras(NS)) await kube.apply(o);
    await waitUntil("the shop to be available", 60_000, async () => {
      const { items } = await kube.list({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace: NS });
      const sts = await kube.get({ apiVersion: "apps/v1", kind: "StatefulSet", name: "redis", namespace: NS });
      const claim = await kube.get({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        name: "data-redis-0",
        namespace: NS,
      });
      return items.length === 4 &&
        items.every((d) => d.status?.availableReplicas === d.spec?.replicas) &&
        sts?.status?.readyReplicas === 1 &&
        claim?.status?.phase === "Bound"
        ? true
        : undefined;
    });
  });
  after(async () => cluster?.stop());

  it("finds nothing wrong with a healthy shop (exit 0)", async () => {
    const r = await diagnose(cluster.kubeconfigPath);
    expect(r.findings.map((f) => `${f.code}: ${f.message}`)).to.deep.equal([]);
    expect(r.exitCode).to.equal(0);
  });

  it("names a Service with no endpoints and a NetworkPolicy that cuts the traffic it needs", async () => {
    await kube.apply({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "payments", namespace: NS },
      spec: { selector: { app: "payments" }, ports: [{ port: 80 }] },
    });
    await kube.apply({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "deny-all", namespace: NS },
      spec: { podSelector: { matchLabels: { app: "database" } }, policyTypes: ["Ingress"] },
    });
    const r = await waitUntil("both findings", 30_000, async () => {
      const d = await diagnose(cluster.kubeconfigPath);
      const codes = new Set(d.findings.map((f) => f.code));
      return codes.has("ServiceNoEndpoints") && codes.has("NetworkPolicyIsolation") ? d : undefined;
    });
    expect([...new Set(r.findings.map((f) => f.code))].sort()).to.deep.equal([
      "NetworkPolicyIsolation",
      "ServiceNoEndpoints",
    ]);
    expect(r.findings.find((f) => f.code === "ServiceNoEndpoints")!.object.name).to.equal("payments");
    expect(r.findings.find((f) => f.code === "NetworkPolicyIsolation")!.message).to.include("deny-all");
    await kube.delete({ apiVersion: "v1", kind: "Service", name: "payments", namespace: NS });
    await kube.delete({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: "deny-all", namespace: NS });
    await waitUntil("clean again", 30_000, async () =>
      (await diagnose(cluster.kubeconfigPath)).findings.length === 0 ? true : undefined,
    );
  });

  it("names an exhausted quota and the pods the scheduler cannot place (exit 1)", async () => {
    await kube.apply({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "compute", namespace: NS },
      spec: { hard: { pods: "10" } }, // the shop (9 pods with redis) and one promo pod
    });
    await kube.apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "promo", namespace: NS },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "promo" } },
        template: {
          metadata: { labels: { app: "promo" } },
          spec: {
            containers: [{ name: "p", image: "busybox", resources: { requests: { cpu: "8", memory: "16Gi" } } }],
          },
        },
      },
    });
    const r = await waitUntil("both findings", 30_000, async () => {
      const d = await diagnose(cluster.kubeconfigPath);
      const codes = new Set(d.findings.map((f) => f.code));
      return codes.has("QuotaExceeded") && codes.has("InsufficientResources") ? d : undefined;
    });
    expect(r.exitCode).to.equal(1);
    expect([...new Set(r.findings.map((f) => f.code))].sort()).to.deep.equal([
      "InsufficientResources",
      "QuotaExceeded",
    ]);
    const quota = r.findings.find((f) => f.code === "QuotaExceeded")!;
    expect(quota.message).to.include("pods 10/10 used");
    const insufficient = r.findings.find((f) => f.code === "InsufficientResources")!;
    expect(insufficient.evidence.join(" ")).to.match(
      /0\/6 nodes are available: 6 Insufficient cpu, 6 Insufficient memory/,
    );
  });

  it("names what k8sgpt and Popeye name, for every situation the kwok cluster can produce", async () => {
    const { items: nodes } = await kube.list({ apiVersion: "v1", kind: "Node" });
    const target = nodes.map((n) => n.metadata.name!).sort()[0]!;
    await kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: PEERS_NS } });
    await kube.patch({ apiVersion: "v1", kind: "Node", name: target }, { spec: { taints: [TAINTED] } }, "merge");
    try {
      for (const o of peerSituations(target)) await kube.apply(o);
      // The PV controller repeats ExternalProvisioning on every claim sync (15s); pods still
      // starting give passing findings (a Service without endpoints yet): wait for exactly
      // the situations' codes, and let the assertion below show any difference that stays.
      let last: Awaited<ReturnType<typeof diagnose>> | undefined;
      const exact = (d: Awaited<ReturnType<typeof diagnose>>) =>
        [...new Set(d.findings.map((f) => f.code))].sort().join() === [...PEER_CODES].sort().join();
      const r = await waitUntil("exactly the situations' findings", 120_000, async () => {
        last = await diagnose(cluster.kubeconfigPath, PEERS_NS);
        return exact(last) ? last : undefined;
      }).catch((err: Error) => {
        if (last) return last;
        throw err;
      });
      expect([...new Set(r.findings.map((f) => f.code))].sort()).to.deep.equal([...PEER_CODES].sort());
      const by = (code: string) => r.findings.filter((f) => f.code === code);
      expect(by("UntoleratedTaint")[0]!.message).to.include(`drill=kubedrill:NoSchedule (${target})`);
      expect(by("SchedulingGated")[0]!.message).to.include("example.com/hold");
      expect(by("ServiceTargetPortMismatch")[0]!.message).to.include("targets port 9999");
      expect(by("IngressClassMissing")[0]!.message).to.include('IngressClass "absent"');
      expect(by("IngressTLSSecretMissing")[0]!.message).to.include('Secret "absent-tls"');
      expect(by("StatefulSetServiceMissing")[0]!.message).to.include('serviceName "ghost-headless"');
      expect(by("PVCUnbound")[0]!.message).to.include("external provisioner example.com/not-installed");
      expect(by("NetworkPolicyNoMatch")[0]!.message).to.include("selects no pods");
      expect(by("PodCreateRejected")[0]!.message).to.match(/ServiceAccount ghost-sa does not exist/);
      expect(r.exitCode).to.equal(1);
    } finally {
      await kube.patch({ apiVersion: "v1", kind: "Node", name: target }, { spec: { taints: null } }, "merge");
      await kube.delete({ apiVersion: "v1", kind: "Namespace", name: PEERS_NS });
      await kube.delete({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: `${PEERS_NS}-not-installed` });
    }
  });
});
