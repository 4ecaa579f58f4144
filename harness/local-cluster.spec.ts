// Integration: the embedded local control plane, end to end, through @kubernetes/client-node.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { localProvider } from "../src/providers/local/index.ts";
import { localState } from "../src/providers/local/launcher.ts";
import { isRunning } from "../src/providers/local/processes.ts";
import { createLogger } from "../src/util/log.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import { cidrContains } from "./support/cidr.ts";
import { waitUntil } from "./support/wait.ts";

const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });

describe("local provider (real control plane + kwok)", function () {
  this.timeout(20 * 60_000); // the first run builds Kubernetes from source
  const name = `it-local-${process.pid}`;
  let cluster: StartedCluster;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let pids: number[] = [];
  let dir = "";

  before(async () => {
    cluster = await localProvider().start({ name, log });
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    const state = (await localState(name))!;
    pids = state.processes.map((p) => p.pid);
    dir = state.dir;
  });

  after(async () => {
    await cluster?.stop();
  });

  it("has 6 Ready nodes in 3 zones with pod CIDRs from the cluster range", async () => {
    const nodes = (await core.listNode()).items;
    expect(nodes).to.have.length(6);
    const zones = new Map<string, number>();
    for (const n of nodes) {
      const ready = n.status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status, `node ${n.metadata?.name} Ready`).to.equal("True");
      const zone = n.metadata?.labels?.["topology.kubernetes.io/zone"] ?? "";
      zones.set(zone, (zones.get(zone) ?? 0) + 1);
      expect(n.metadata?.labels?.["topology.kubernetes.io/region"]).to.equal("region-1");
      expect(n.status?.allocatable?.cpu).to.equal("4");
      expect(n.spec?.podCIDR && cidrContains("10.244.0.0/16", n.spec.podCIDR), `podCIDR ${n.spec?.podCIDR}`).to.equal(
        true,
      );
    }
    expect(Object.fromEntries(zones)).to.deep.equal({ "zone-a": 2, "zone-b": 2, "zone-c": 2 });
  });

  it("reports the real Kubernetes version", async () => {
    const { createKube } = await import("../src/k8s/client.ts");
    expect(await createKube(cluster.kubeconfigPath).serverVersion()).to.match(/^v1\.34\.\d+$/);
  });

  it("runs a Deployment's pods with IPs inside their nodes' pod CIDRs", async () => {
    const namespace = "default";
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 4,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              containers: [
                { name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } } },
              ],
            },
          },
        },
      },
    });
    const pods = await waitUntil("4 web pods Running", 60_000, async () => {
      const items = (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items;
      return items.length === 4 && items.every((p) => p.status?.phase === "Running" && p.status.podIP)
        ? items
        : undefined;
    });
    const cidrs = new Map((await core.listNode()).items.map((n) => [n.metadata!.name!, n.spec!.podCIDR!]));
    for (const p of pods as V1Pod[]) {
      const cidr = cidrs.get(p.spec!.nodeName!)!;
      expect(cidrContains(cidr, p.status!.podIP!), `${p.metadata!.name} ${p.status!.podIP} in ${cidr}`).to.equal(true);
      expect(p.status?.conditions?.find((c) => c.type === "Ready")?.status).to.equal("True");
    }
    await apps.deleteNamespacedDeployment({ namespace, name: "web" });
  });

  it("gets the real scheduler's FailedScheduling event for a pod larger than any node", async () => {
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "too-big" },
        spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "8" } } }] },
      },
    });
    const event = await waitUntil("FailedScheduling event", 30_000, async () =>
      (
        await core.listNamespacedEvent({ namespace: "default", fieldSelector: "involvedObject.name=too-big" })
      ).items.find((e) => e.reason === "FailedScheduling"),
    );
    expect(event.message).to.match(/0\/6 nodes are available: 6 Insufficient cpu/);
    await core.deleteNamespacedPod({ namespace: "default", name: "too-big" });
  });

  it("reuses the running cluster when started again with the same name", async () => {
    const again = await localProvider().start({ name, log });
    expect(again.kubeconfigPath).to.equal(cluster.kubeconfigPath);
    await again.stop(); // a reused cluster is left running
    expect(pids.every(isRunning)).to.equal(true);
  });

  it("leaves no process and no folder behind when stopped", async () => {
    expect(pids.length).to.be.greaterThan(10);
    await cluster.stop();
    expect(pids.filter(isRunning), "pids still alive").to.deep.equal([]);
    expect(existsSync(dir), `${dir} removed`).to.equal(false);
  });
});
