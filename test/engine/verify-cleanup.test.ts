import { expect } from "chai";
import { CONTENTS_GONE_ANNOTATION, verifyCleanup } from "../../src/engine/verify-cleanup.ts";
import { LABEL_RUN_ID, LABEL_SCENARIO } from "../../src/k8s/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { until } from "../fakes/settle.ts";

const NS = "kd-demo-abcde";
const labels = { [LABEL_RUN_ID]: "run1", [LABEL_SCENARIO]: NS };
const PV = { apiVersion: "v1", kind: "PersistentVolume" };
const deleting = (at: number) => new Date(at).toISOString();

describe("verifyCleanup", () => {
  it("looks for labelled objects while the namespace terminates, and waits for those being deleted together", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const now = deleting(clock.now());
    kube.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, deletionTimestamp: now } });
    kube.put({ ...PV, metadata: { name: "pv-a", labels, deletionTimestamp: now } });
    kube.put({ ...PV, metadata: { name: "pv-b", labels, deletionTimestamp: now } });
    kube.put({ ...PV, metadata: { name: "pv-kept", labels } });
    let left: string[] | undefined;
    void verifyCleanup(kube, clock, memoryLogger(), {
      namespace: NS,
      runId: "run1",
      scenarioLabel: NS,
      scopes: [{ type: PV }],
      timeoutMs: 5000,
    }).then((l) => (left = l));
    // the namespace, its pods and both deleting volumes are watched at the same time
    await until(() => kube.liveWatches().length === 4, "four waits at once");
    expect(kube.callsOf("list")).to.have.length(2); // the namespace's pods, the volumes
    await clock.advance(1000);
    kube.remove({ ...PV, name: "pv-b" });
    kube.remove({ apiVersion: "v1", kind: "Namespace", name: NS });
    kube.remove({ ...PV, name: "pv-a" });
    await until(() => left !== undefined, "verified");
    expect(left).to.deep.equal(["PersistentVolume/pv-kept"]);
    expect(clock.now()).to.equal(new FakeClock().now() + 1000);
    expect(kube.liveWatches()).to.deep.equal([]);
  });

  it("reports the namespace first, then each scope in order, whatever finishes first", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, deletionTimestamp: deleting(clock.now()) } });
    kube.put({ ...PV, metadata: { name: "pv-1", labels } });
    kube.put({ apiVersion: "v1", kind: "Node", metadata: { name: "n1", labels } });
    let left: string[] | undefined;
    void verifyCleanup(kube, clock, memoryLogger(), {
      namespace: NS,
      runId: "run1",
      scenarioLabel: NS,
      scopes: [{ type: PV }, { type: { apiVersion: "v1", kind: "Node" } }],
      timeoutMs: 3000,
    }).then((l) => (left = l));
    await until(() => clock.pendingSleeps > 0, "waiting for the namespace");
    await clock.advance(3000);
    await until(() => left !== undefined, "verified");
    expect(left).to.deep.equal([`Namespace/${NS} (still there after 3000ms)`, "PersistentVolume/pv-1", "Node/n1"]);
  });

  it("tells the namespace controller to look again once the namespace's last pod is gone", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, deletionTimestamp: deleting(clock.now()) } });
    for (const name of ["api-1", "api-2"])
      kube.put({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: NS, deletionTimestamp: deleting(clock.now()) },
      });
    let left: string[] | undefined;
    void verifyCleanup(kube, clock, memoryLogger(), {
      namespace: NS,
      runId: "run1",
      scenarioLabel: NS,
      scopes: [],
      timeoutMs: 60_000,
    }).then((l) => (left = l));
    const ns = async () => (await kube.get({ apiVersion: "v1", kind: "Namespace", name: NS }))!;
    await until(() => kube.liveWatches().length === 2, "the namespace and its pods watched");
    kube.remove({ apiVersion: "v1", kind: "Pod", name: "api-1", namespace: NS });
    await until(() => kube.callsOf("list").length >= 2, "listed again");
    expect((await ns()).metadata.annotations?.[CONTENTS_GONE_ANNOTATION], "a pod is left").to.equal(undefined);
    kube.remove({ apiVersion: "v1", kind: "Pod", name: "api-2", namespace: NS });
    await until(() => kube.callsOf("patch").length === 1, "the namespace marked");
    expect((await ns()).metadata.annotations?.[CONTENTS_GONE_ANNOTATION]).to.be.a("string");
    kube.remove({ apiVersion: "v1", kind: "Namespace", name: NS });
    await until(() => left !== undefined, "verified");
    expect(left).to.deep.equal([]);
    expect(kube.liveWatches()).to.deep.equal([]);
  });
});
