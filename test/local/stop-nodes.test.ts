import { expect } from "chai";
import { ClusterError } from "../../src/errors.ts";
import { localActions, restoreStoppedNodes, type ProcessControl } from "../../src/providers/local/actions.ts";
import { kwokGroups } from "../../src/providers/local/kwok-groups.ts";
import type { ProcessRecord } from "../../src/providers/local/processes.ts";
import type { LocalClusterState } from "../../src/providers/local/state.ts";
import * as topo from "../../src/providers/local/topology.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { FakeKube } from "../fakes/kube.ts";

function cluster(workers?: number) {
  const groups = kwokGroups(workers);
  const processes: ProcessRecord[] = groups.map((g, i) => ({
    name: g.process,
    pid: 1000 + i,
    binary: "/bin/kwok",
    logFile: `/nonexistent/${g.process}.log`,
  }));
  const state: LocalClusterState = {
    name: "kd",
    kubernetesVersion: "v1.34.4",
    createdAt: "2026-01-01T00:00:00Z",
    dir: "/nonexistent/kd",
    kubeconfig: "/nonexistent/kd/admin.kubeconfig",
    apiServer: "https://127.0.0.1:6443",
    ports: { etcdClient: 1, etcdPeer: 2, apiServer: 3 },
    processes,
    nodes: "kwok",
    ...(workers !== undefined ? { workers } : {}),
  };
  const kube = new FakeKube();
  const groupOf = new Map(groups.flatMap((g) => g.nodes.map((n) => [n, g.label] as const)));
  for (const n of topo.clusterNodes(workers)) kube.put(topo.nodeObject(n, groupOf.get(n.name)) as KObject);
  /** Signals sent, as "SIGSTOP kwok-zone-b"; a dead process is one in `dead`. */
  const signals: string[] = [];
  const dead = new Set<string>();
  const procs: ProcessControl = {
    signal: (pid, sig) => signals.push(`${sig} ${processes.find((p) => p.pid === pid)!.name}`),
    running: (p) => !dead.has(p.name),
  };
  const group = (node: string) =>
    kube.object({ apiVersion: "v1", kind: "Node", name: node })!.metadata.labels![topo.KWOK_GROUP_LABEL];
  return { state, kube, signals, dead, actions: localActions(state, kube, procs), group };
}

const nodePatches = (kube: FakeKube) =>
  kube.callsOf("patch").filter((c) => (c.args[0] as { kind: string }).kind === "Node");

describe("local provider: stopping kwok nodes at scale", () => {
  // 9 nodes: worker..worker3 in zone-a, worker4..worker6 in zone-b, worker7..worker9 in zone-c
  it("stops a whole zone by pausing its kwok process, and resumes it on revert; no node is relabelled", async () => {
    const c = cluster(9);
    const undo = await c.actions.stopNodes(["worker4", "worker5", "worker6"]);
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-zone-b"]);
    await undo.revert();
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-zone-b", "SIGCONT kwok-zone-b"]);
    expect(nodePatches(c.kube)).to.deep.equal([]);
  });

  it("stops single nodes by moving them out of their process's selection, and moves them back on revert", async () => {
    const c = cluster(9);
    const undo = await c.actions.stopNodes(["worker2", "worker8"]);
    expect(c.signals).to.deep.equal([]);
    expect(["worker", "worker2", "worker8", "worker9"].map(c.group)).to.deep.equal([
      "zone-a",
      topo.KWOK_GROUP_STOPPED,
      topo.KWOK_GROUP_STOPPED,
      "zone-c",
    ]);
    await undo.revert();
    expect(["worker2", "worker8"].map(c.group)).to.deep.equal(["zone-a", "zone-c"]);
    expect(c.signals).to.deep.equal([]);
  });

  it("mixes both: a zone paused, a node of another zone relabelled; the revert undoes each", async () => {
    const c = cluster(9);
    const undo = await c.actions.stopNodes(["worker7", "worker8", "worker9", "worker"]);
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-zone-c"]);
    expect(c.group("worker")).to.equal(topo.KWOK_GROUP_STOPPED);
    expect(["worker7", "worker8", "worker9"].map(c.group)).to.deep.equal(["zone-c", "zone-c", "zone-c"]);
    await undo.revert();
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-zone-c", "SIGCONT kwok-zone-c"]);
    expect(c.group("worker")).to.equal("zone-a");
  });

  it("refuses unknown nodes and a dead zone process before changing anything", async () => {
    const c = cluster(9);
    const err = await c.actions.stopNodes(["worker", "db-1"]).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterError).with.property("message").that.includes('"db-1" is not a node');
    c.dead.add("kwok-zone-a");
    const dead = await c.actions.stopNodes(["worker4", "worker5", "worker6", "worker"]).catch((e: unknown) => e);
    expect(dead)
      .to.be.instanceOf(ClusterError)
      .with.property("message")
      .that.matches(/simulated kubelet of zone zone-a's 3 nodes \(kwok-zone-a, pid 1000\) is not running/);
    expect(c.signals).to.deep.equal([]);
    expect(nodePatches(c.kube)).to.deep.equal([]);
  });

  it("undoes what it did when a relabel fails half way, and rethrows", async () => {
    const c = cluster(9);
    c.kube.failNext("patch", new Error("etcd timeout"), (args) => (args[0] as { name: string }).name === "worker5");
    const err = await c.actions.stopNodes(["worker7", "worker8", "worker9", "worker4", "worker5"]).catch((e) => e);
    expect((err as Error).message).to.equal("etcd timeout");
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-zone-c", "SIGCONT kwok-zone-c"]);
    expect(["worker4", "worker5"].map(c.group)).to.deep.equal(["zone-b", "zone-b"]);
  });

  it("repairs the nodes a crashed run left relabelled, and only on a scaled cluster", async () => {
    const c = cluster(9);
    await c.actions.stopNodes(["worker2", "worker5"]); // never reverted: the run died
    expect(await restoreStoppedNodes(c.state, c.kube)).to.deep.equal(["worker2", "worker5"]);
    expect(["worker2", "worker5"].map(c.group)).to.deep.equal(["zone-a", "zone-b"]);
    expect(await restoreStoppedNodes(c.state, c.kube)).to.deep.equal([]);
    const d = cluster();
    expect(await restoreStoppedNodes(d.state, d.kube)).to.deep.equal([]);
    expect(d.kube.callsOf("list")).to.deep.equal([]);
  });

  it("keeps the default topology as it was: a node's own kwok process is paused", async () => {
    const c = cluster();
    const undo = await c.actions.stopNodes(["worker3", "worker4"]);
    expect(c.signals).to.deep.equal(["SIGSTOP kwok-worker3", "SIGSTOP kwok-worker4"]);
    await undo.revert();
    expect(c.signals.slice(2)).to.deep.equal(["SIGCONT kwok-worker3", "SIGCONT kwok-worker4"]);
    expect(nodePatches(c.kube)).to.deep.equal([]);
  });
});
