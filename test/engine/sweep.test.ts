import { expect } from "chai";
import { hostname } from "node:os";
import { ApiError } from "../../src/k8s/rest.ts";
import { leaseVerdict, microTime, startHeartbeat } from "../../src/engine/heartbeat.ts";
import { sweepStale } from "../../src/engine/sweep.ts";
import { ANNOTATION_ORIGINAL, LABEL_MANAGED, LABEL_RUN_ID, type KObject } from "../../src/k8s/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { node } from "../fakes/objects.ts";
import { until } from "../fakes/settle.ts";
import { stepEnv } from "./step-env.ts";

const MIN = 60_000;
const labelled = (run: string, managed = true) => ({
  [LABEL_RUN_ID]: run,
  ...(managed ? { [LABEL_MANAGED]: "kubedrill" } : {}),
});
const ns = (name: string, run: string, created: number): KObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: labelled(run), creationTimestamp: new Date(created).toISOString() },
});
const lease = (run: string, renewed: number, holder = "ci-runner-7/4242"): KObject => ({
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: { name: `kubedrill-run-${run}`, namespace: "default", labels: labelled(run) },
  spec: { holderIdentity: holder, renewTime: microTime(renewed), leaseDurationSeconds: 60 },
});
const nodeMarkedBy = (name: string, run: string, restore: unknown): KObject => {
  const n = node(name, { taints: [{ key: "chaos", effect: "NoSchedule" }] });
  n.metadata.labels = { ...n.metadata.labels, [LABEL_RUN_ID]: run, "kubedrill.io/scenario": "kd-b-abcde" };
  n.metadata.annotations = { [ANNOTATION_ORIGINAL]: JSON.stringify(restore) };
  return n;
};
const RESTORE_TAINTS = {
  spec: { taints: null },
  metadata: {
    labels: { [LABEL_RUN_ID]: null, "kubedrill.io/scenario": null },
    annotations: { [ANNOTATION_ORIGINAL]: null, "kubedrill.io/marked-at": null },
  },
};

describe("sweepStale and the heartbeat", () => {
  it("sweeps what dead runs left, keeps live runs' objects, and ignores labels no Lease backs", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const now = clock.now();
    kube.put(lease("alive", now - 30_000));
    kube.put(lease("dead", now - 2 * MIN));
    kube.put(ns("kd-a-abcde", "alive", now - 30 * MIN));
    kube.put(ns("kd-b-abcde", "dead", now - 30 * MIN));
    kube.put(ns("kd-c-abcde", "nolease", now - 20 * MIN));
    kube.put({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "kd-crit", labels: labelled("dead") },
      value: 1000,
    });
    kube.put(nodeMarkedBy("n1", "dead", RESTORE_TAINTS));
    const result = await sweepStale(kube, memoryLogger(), { clock });
    expect(result.deleted.sort()).to.deep.equal([
      "Namespace/kd-b-abcde (run dead)",
      "PriorityClass/kd-crit (run dead)",
    ]);
    expect(result.restored).to.deep.equal(["Node/n1 (run dead)"]);
    expect(result.failed).to.deep.equal([]);
    expect(result.ignored).to.deep.equal([
      "Namespace/kd-c-abcde (run nolease): no heartbeat Lease of kubedrill names this run",
    ]);
    expect(
      kube
        .objects("Namespace")
        .map((n) => n.metadata.name)
        .sort(),
    ).to.deep.equal(["kd-a-abcde", "kd-c-abcde"]);
    const n1 = kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1.spec.taints).to.equal(undefined);
    expect(n1.metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
    expect(kube.objects("Lease").map((l) => l.metadata.name)).to.deep.equal(["kubedrill-run-alive"]);
    // objects are listed before the leases (see sweep.ts for why)
    const lists = kube.callsOf("list").map((c) => (c.args[0] as { kind: string }).kind);
    expect(lists.indexOf("Lease")).to.equal(lists.length - 1);
  });

  it("trusts only what kubedrill writes: foreign namespaces, RBAC and forged restore patches are not applied", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.put(lease("dead", clock.now() - 5 * MIN));
    kube.put(ns("default", "dead", clock.now() - 60 * MIN));
    kube.put(ns("production", "dead", clock.now() - 60 * MIN));
    kube.put({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "admin-ish", labels: labelled("dead") },
      rules: [],
    });
    const forged = {
      ...RESTORE_TAINTS,
      spec: { taints: null, podCIDR: "10.0.0.0/8" },
      metadata: { ...RESTORE_TAINTS.metadata, labels: { ...RESTORE_TAINTS.metadata.labels, "node-role": "x" } },
    };
    kube.put(nodeMarkedBy("n1", "dead", forged));
    const result = await sweepStale(kube, memoryLogger(), { clock });
    expect(result.deleted).to.deep.equal([]);
    expect(result.ignored).to.deep.equal([
      "Namespace/default (run dead): not a namespace kubedrill generates (kd-<scenario>-<id>, managed-by kubedrill)",
      "Namespace/production (run dead): not a namespace kubedrill generates (kd-<scenario>-<id>, managed-by kubedrill)",
    ]);
    expect(result.restored).to.deep.equal([
      "Node/n1 (run dead); not restored (kubedrill records no such fields): spec.podCIDR, metadata.labels.node-role; check them by hand",
    ]);
    const n1 = kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1.spec.taints).to.equal(undefined);
    expect(n1.spec.podCIDR).to.equal(undefined);
    expect(n1.metadata.labels?.["node-role"]).to.equal(undefined);
    expect(kube.objects("ClusterRole")).to.have.length(1);
    expect(kube.objects("Namespace")).to.have.length(2);
    // something was left for a person: the Lease stays, so the next sweep tries again
    expect(kube.objects("Lease")).to.have.length(1);
    expect(kube.callsOf("list").map((c) => (c.args[0] as { kind: string }).kind)).not.to.include("ClusterRole");
  });

  it("a run of this machine whose process is gone is dead at once; another machine's after 60s", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const here = lease("r1", now - 1_000, `${hostname()}/4242`);
    expect(leaseVerdict(here, now, { pidAlive: () => false })).to.deep.equal({
      alive: false,
      why: "process 4242 on this machine is gone",
    });
    expect(leaseVerdict(here, now, { pidAlive: () => true }).alive).to.equal(true);
    const mine = lease("r0", now - 10 * MIN, `${hostname()}/${process.pid}`);
    expect(leaseVerdict(mine, now), "this very process is alive, however old its Lease").to.deep.equal({
      alive: true,
      why: `process ${process.pid} on this machine is running`,
    });
    const remote = (age: number) => leaseVerdict(lease("r2", now - age, "elsewhere/1"), now);
    expect(remote(59_000)).to.deep.equal({ alive: true, why: "Lease renewed 59s ago" });
    expect(remote(61_000)).to.deep.equal({ alive: false, why: "Lease renewed 61s ago" });
  });

  it("cleanup of one run id repairs now, and refuses while that run is still alive", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.put(lease("r1", clock.now(), `${hostname()}/4242`));
    kube.put(nodeMarkedBy("n1", "r1", RESTORE_TAINTS));
    kube.put(nodeMarkedBy("n2", "r2", RESTORE_TAINTS));
    let alive = true;
    const opts = { clock, runId: "r1", pidAlive: () => alive };
    let refused: Error | undefined;
    await sweepStale(kube, memoryLogger(), opts).catch((e: Error) => (refused = e));
    expect(refused?.message).to.equal("run r1 is still alive (process 4242 on this machine is running); stop it first");
    alive = false;
    const result = await sweepStale(kube, memoryLogger(), opts);
    expect(result.restored).to.deep.equal(["Node/n1 (run r1)"]);
    expect(kube.object({ apiVersion: "v1", kind: "Node", name: "n2" })!.spec.taints).to.have.length(1);
    expect(kube.objects("Lease")).to.deep.equal([]);
  });

  it("the heartbeat writes a Lease, renews it on the clock, and deletes it when stopped (or keeps it)", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const hb = await startHeartbeat(kube, { runId: "r7", clock, log: memoryLogger(), intervalMs: 60_000 });
    const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", name: "kubedrill-run-r7", namespace: "default" };
    expect(kube.object(ref)!.spec.renewTime).to.equal("2026-01-01T00:00:00.000000Z");
    expect(kube.object(ref)!.spec.holderIdentity).to.equal(`${hostname()}/${process.pid}`);
    await until(() => clock.pendingSleeps > 0, "renewal scheduled");
    await clock.advance(60_000);
    await until(() => kube.object(ref)!.spec.renewTime === "2026-01-01T00:01:00.000000Z", "renewed");
    await hb.stop();
    await hb.stop();
    expect(kube.object(ref)).to.equal(undefined);
    expect(clock.pendingSleeps).to.equal(0);
    const kept = await startHeartbeat(kube, { runId: "r8", clock, log: memoryLogger() });
    await kept.stop({ keepLease: true });
    expect(kube.objects("Lease").map((l) => l.metadata.name)).to.deep.equal(["kubedrill-run-r8"]);
    expect(clock.pendingSleeps).to.equal(0);
    // a live run's objects survive another run's sweep
    kube.put(ns("kd-x-abcde", "r8", clock.now() - 60 * MIN));
    await sweepStale(kube, memoryLogger(), { clock });
    expect(kube.objects("Namespace")).to.have.length(1);
  });

  it("refuses to run when the heartbeat Lease cannot be written", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.failNext("apply", Object.assign(new Error("leases is forbidden"), { code: 403 }));
    let err: Error | undefined;
    await startHeartbeat(kube, { runId: "r9", clock, log: memoryLogger() }).catch((e: Error) => (err = e));
    expect(err?.message).to.match(
      /^cannot write the run's heartbeat Lease default\/kubedrill-run-r9, .* \(deploy\/rbac\/\)$/,
    );
  });

  it("a run that dies mid-fault is repaired from the marks its steps wrote", async () => {
    const e = stepEnv(); // run "run9"
    e.kube.put(lease("run9", e.clock.now(), `${hostname()}/4242`));
    e.kube.put(node("n1"));
    await e.step("taint", { nodes: { names: ["n1"] }, key: "chaos", effect: "NoSchedule" }).inject(e.ctx);
    const n1 = () => e.kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1().metadata.annotations?.["kubedrill.io/marked-at"]).to.equal(new Date(e.clock.now()).toISOString());
    const stillRunning = await sweepStale(e.kube, memoryLogger(), { clock: e.clock, pidAlive: () => true });
    expect(stillRunning.restored).to.deep.equal([]);
    expect(n1().spec.taints).to.have.length(1);
    const died = await sweepStale(e.kube, memoryLogger(), { clock: e.clock, pidAlive: () => false });
    expect(died.restored).to.deep.equal(["Node/n1 (run run9)"]);
    expect(n1().spec.taints).to.equal(undefined);
    expect(n1().metadata.annotations ?? {}).to.deep.equal({});
    expect(n1().metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
  });

  it("an object deleted between the listing and its restore counts as nothing to do, and the Lease goes", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.put(lease("dead", clock.now() - 5 * MIN));
    kube.put(nodeMarkedBy("n1", "dead", RESTORE_TAINTS));
    kube.failNext("patch", new ApiError('nodes "n1" not found', 404, "NotFound"));
    const result = await sweepStale(kube, memoryLogger(), { clock });
    expect(result.failed).to.deep.equal([]);
    expect(result.ignored).to.deep.equal(["Node/n1 (run dead): gone before it could be restored"]);
    expect(kube.objects("Lease")).to.deep.equal([]);
  });
});
