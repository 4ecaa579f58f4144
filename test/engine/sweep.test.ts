import { expect } from "chai";
import { startHeartbeat, microTime } from "../../src/engine/heartbeat.ts";
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
const lease = (run: string, renewed: number): KObject => ({
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  metadata: { name: `kubedrill-run-${run}`, namespace: "default", labels: labelled(run) },
  spec: { renewTime: microTime(renewed), leaseDurationSeconds: 600 },
});

describe("sweepStale and the heartbeat", () => {
  it("sweeps what dead runs left (stale or missing Lease), keeps live and young runs' objects", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const now = clock.now();
    kube.put(lease("alive", now - 2 * MIN));
    kube.put(lease("dead", now - 11 * MIN));
    kube.put(ns("kd-a-1", "alive", now - 30 * MIN));
    kube.put(ns("kd-b-1", "dead", now - 30 * MIN));
    kube.put(ns("kd-c-1", "nolease", now - 20 * MIN)); // lease gone long ago
    kube.put(ns("kd-d-1", "starting", now - 1 * MIN)); // could not write a lease; too young to judge
    kube.put({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "kd-crit", labels: labelled("dead") },
      value: 1000,
    });
    const restore = {
      spec: { taints: null },
      metadata: {
        labels: { [LABEL_RUN_ID]: null, "kubedrill.io/scenario": null },
        annotations: { [ANNOTATION_ORIGINAL]: null },
      },
    };
    const tainted = node("n1", { taints: [{ key: "chaos", effect: "NoSchedule" }] });
    tainted.metadata.labels = { ...tainted.metadata.labels, [LABEL_RUN_ID]: "dead", "kubedrill.io/scenario": "kd-b-1" };
    tainted.metadata.annotations = { [ANNOTATION_ORIGINAL]: JSON.stringify(restore) };
    kube.put(tainted);
    const result = await sweepStale(kube, memoryLogger(), { clock });
    expect(result.deleted.sort()).to.deep.equal([
      "Namespace/kd-b-1 (run dead)",
      "Namespace/kd-c-1 (run nolease)",
      "PriorityClass/kd-crit (run dead)",
    ]);
    expect(result.restored).to.deep.equal(["Node/n1 (run dead)"]);
    expect(result.failed).to.deep.equal([]);
    expect(
      kube
        .objects("Namespace")
        .map((n) => n.metadata.name)
        .sort(),
    ).to.deep.equal(["kd-a-1", "kd-d-1"]);
    const n1 = kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1.spec.taints).to.equal(undefined);
    expect(n1.metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
    expect(kube.objects("Lease").map((l) => l.metadata.name)).to.deep.equal(["kubedrill-run-alive"]);
    // objects are listed before the leases (see sweep.ts for why)
    const lists = kube.callsOf("list").map((c) => (c.args[0] as { kind: string }).kind);
    expect(lists.indexOf("Lease")).to.equal(lists.length - 1);
  });

  it("the heartbeat writes a Lease, renews it on the clock, and deletes it when stopped", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const hb = await startHeartbeat(kube, { runId: "r7", clock, log: memoryLogger(), intervalMs: 60_000 });
    const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", name: "kubedrill-run-r7", namespace: "default" };
    expect(kube.object(ref)!.spec.renewTime).to.equal("2026-01-01T00:00:00.000000Z");
    await until(() => clock.pendingSleeps > 0, "renewal scheduled");
    await clock.advance(60_000);
    await until(() => kube.object(ref)!.spec.renewTime === "2026-01-01T00:01:00.000000Z", "renewed");
    await hb.stop();
    await hb.stop();
    expect(kube.object(ref)).to.equal(undefined);
    expect(clock.pendingSleeps).to.equal(0);
    // a live run's objects survive another run's sweep
    kube.put(lease("r8", clock.now()));
    kube.put(ns("kd-x-1", "r8", clock.now() - 60 * MIN));
    await sweepStale(kube, memoryLogger(), { clock });
    expect(kube.objects("Namespace")).to.have.length(1);
  });

  it("a mark of a run with no Lease is swept only once it is older than staleAfter (kubedrill.io/marked-at)", async () => {
    const e = stepEnv(); // run "run9", which never wrote a Lease
    e.kube.put(node("n1"));
    await e.step("taint", { nodes: { names: ["n1"] }, key: "chaos", effect: "NoSchedule" }).inject(e.ctx);
    const n1 = () => e.kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1().metadata.annotations?.["kubedrill.io/marked-at"]).to.equal(new Date(e.clock.now()).toISOString());
    await e.clock.advance(2 * MIN);
    const young = await sweepStale(e.kube, memoryLogger(), { clock: e.clock });
    expect(young.restored).to.deep.equal([]);
    expect(n1().spec.taints).to.have.length(1);
    await e.clock.advance(9 * MIN); // 11 minutes after the mark
    const old = await sweepStale(e.kube, memoryLogger(), { clock: e.clock });
    expect(old.restored).to.deep.equal(["Node/n1 (run run9)"]);
    expect(n1().spec.taints).to.equal(undefined);
    expect(n1().metadata.annotations ?? {}).to.deep.equal({});
    expect(n1().metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
  });
});
