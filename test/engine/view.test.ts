import { expect } from "chai";
import { ClusterView, type ViewChange } from "../../src/engine/view.ts";
import { snapshotNeeds } from "../../src/diagnose/snapshot.ts";
import { FakeClock, flushMicrotasks } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { configMap, node, pod } from "../fakes/objects.ts";

const POD = { apiVersion: "v1", kind: "Pod" };

function env() {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  const view = new ClusterView(kube, { clock, log, network: { podCIDR: "10.244.0.0/16" } });
  const changes: ViewChange[] = [];
  view.subscribe((c) => changes.push(c));
  return { clock, kube, log, view, changes };
}

describe("ClusterView", () => {
  it("lists, then watches from the list's resourceVersion, and stamps changes with receivedAt", async () => {
    const e = env();
    e.kube.put(pod("a", "ns1", {}, true));
    await e.view.ensure([{ ...POD, namespace: "ns1" }]);
    const [listCall, watchCall] = e.kube.calls;
    expect(listCall!.method).to.equal("list");
    expect(watchCall).to.deep.equal({ method: "watch", args: [POD, { namespace: "ns1", resourceVersion: "101" }] });
    expect(e.view.list(POD).map((p) => p.metadata.name)).to.deep.equal(["a"]);
    await e.clock.advance(250);
    e.kube.put(pod("b", "ns1", {}, false));
    e.kube.put(pod("elsewhere", "ns2", {}, false));
    await flushMicrotasks();
    expect(e.changes.map((c) => [c.type, c.object?.metadata.name, c.receivedAt - e.clock.now()])).to.deep.equal([
      ["SYNC", undefined, -250],
      ["ADDED", "b", 0],
    ]);
    e.kube.remove({ apiVersion: "v1", kind: "Pod", name: "a", namespace: "ns1" });
    await flushMicrotasks();
    expect(e.view.list(POD).map((p) => p.metadata.name)).to.deep.equal(["b"]);
    expect(e.kube.callsOf("list")).to.have.length(1); // never re-lists
  });

  it("misses nothing changed between the list and the watch", async () => {
    const e = env();
    const origList = e.kube.list.bind(e.kube);
    e.kube.list = async (type, opts) => {
      const r = await origList(type, opts);
      e.kube.put(configMap("late", "ns1", { x: "1" })); // changes after the list, before the watch
      return r;
    };
    await e.view.ensure([{ apiVersion: "v1", kind: "ConfigMap", namespace: "ns1" }]);
    await flushMicrotasks();
    expect(e.view.get({ apiVersion: "v1", kind: "ConfigMap" }, "late", "ns1")?.data).to.deep.equal({ x: "1" });
  });

  it("a cluster-wide watch replaces namespaced ones of the same type; duplicates are not watched twice", async () => {
    const e = env();
    await e.view.ensure([
      { ...POD, namespace: "ns1" },
      { ...POD, namespace: "ns1" },
    ]);
    await e.view.ensure([POD]);
    await e.view.ensure([{ ...POD, namespace: "ns2" }]);
    expect(e.kube.callsOf("watch")).to.have.length(2);
    expect(e.kube.liveWatches("Pod").map((w) => w.opts.namespace)).to.deep.equal([undefined]);
  });

  it("builds a ClusterSnapshot narrowed to a namespace, with the cluster's network", async () => {
    const e = env();
    e.kube.put(node("n1"));
    e.kube.put(pod("a", "ns1", {}, true));
    e.kube.put(pod("b", "ns2", {}, true));
    e.kube.failNext(
      "list",
      new Error("the server could not find the requested resource"),
      (a) => (a[0] as { kind: string }).kind === "IPPool",
    );
    await e.view.ensure(snapshotNeeds(undefined));
    const snap = e.view.snapshot("ns1");
    expect(snap.namespace).to.equal("ns1");
    expect(snap.nodes.map((n) => n.metadata.name)).to.deep.equal(["n1"]);
    expect(snap.pods.map((p) => p.metadata.name)).to.deep.equal(["a"]);
    expect(snap.ipPools).to.deep.equal([]);
    expect(snap.network).to.deep.equal({ podCIDR: "10.244.0.0/16" });
  });

  it("a failing required list is an error; a watch failure rejects `failed`; close stops every watch", async () => {
    const e = env();
    e.kube.failNext("list", new Error("forbidden"));
    const err = (await e.view
      .ensure([{ apiVersion: "v1", kind: "Secret", namespace: "ns1" }])
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("listing Secret in ns1: forbidden");
    await e.view.ensure([POD]);
    e.kube.failWatch("Pod", new Error("410 Gone and re-list failed"));
    const failed = (await e.view.failed.catch((x: Error) => x)) as Error;
    expect(failed.message).to.equal("watch of Pod failed: 410 Gone and re-list failed");
    e.view.close();
    expect(e.kube.liveWatches()).to.deep.equal([]);
  });
});

describe("ClusterView after close", () => {
  it("ensure() resolves and watches nothing once closed, also for a call that was listing when it closed", async () => {
    const e = env();
    const pending = e.view.ensure([
      { ...POD, namespace: "ns1" },
      { apiVersion: "v1", kind: "ConfigMap", namespace: "ns1" },
    ]);
    e.view.close();
    await pending;
    await e.view.ensure([{ apiVersion: "v1", kind: "Node" }]);
    expect(e.kube.liveWatches()).to.have.length(0);
    expect(e.kube.callsOf("list").map((c) => (c.args[0] as { kind: string }).kind)).to.deep.equal(["Pod"]);
  });
});
