import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { LABEL_RUN_ID } from "../../src/k8s/types.ts";
import { event, node } from "../fakes/objects.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";
import { backOffSignal, demoSetup, harness, healthy, NS, setHealthy } from "./harness.ts";

const backOff = (name = "e1") =>
  event(
    name,
    NS,
    { kind: "Pod", name: "web-0", namespace: NS },
    "BackOff",
    "Back-off restarting failed container web in pod web-0",
  );

function demo(o: Parameters<typeof scenario>[1] = {}) {
  return scenario("demo", {
    setup: { steps: [demoSetup()] },
    steadyState: [healthy("yes")],
    fault: [setHealthy("no", "spec.fault[0]")],
    detect: { mode: "all", signals: [backOffSignal()] },
    remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
    ...o,
  });
}

describe("runScenario", () => {
  it("passes, measuring TTD and RTO from watch events", async () => {
    const h = harness();
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(1500);
    h.kube.put(backOff());
    const r = await run;
    expect(r.reasons).to.deep.equal([]);
    expect(r.status).to.equal("passed");
    expect(r.ttdMs).to.equal(1500);
    expect(r.rtoMs).to.equal(1500);
    expect(r.namespace).to.equal(NS);
    expect(r.cleanup).to.deep.equal({ ok: true, leftovers: [] });
    const ev = r.evidence.find((e) => e.kind === "event")!;
    expect(ev.text).to.equal("Warning BackOff on Pod/web-0: Back-off restarting failed container web in pod web-0");
    expect(ev.offsetMs).to.equal(1500);
    expect(ev.simulated).to.equal(false);
    expect(r.timeline.map((t) => t.phase)).to.include.members([
      "setup",
      "steady-state",
      "inject",
      "detect",
      "remediate",
      "recover",
      "verify",
      "cleanup",
    ]);
    expect(h.kube.objects(undefined, NS)).to.deep.equal([]);
    expect(h.kube.object({ apiVersion: "v1", kind: "Namespace", name: NS })).to.equal(undefined);
  });

  it("tells its hooks of each phase entered and each signal seen, as they happen", async () => {
    const h = harness();
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    expect(h.phases.map((p) => p.phase)).to.deep.equal(["setup", "steady-state", "inject", "detect"]);
    const faultStart = h.phases.find((p) => p.phase === "inject")!.at;
    await h.clock.advance(900);
    expect(h.signals).to.deep.equal([], "nothing seen before the event");
    h.kube.put(backOff());
    await until(() => h.signals.length > 0, "the signal seen");
    expect(h.signals.map(({ at, who }) => ({ at, who }))).to.deep.equal([
      { at: faultStart + 900, who: { scenario: "demo", attempt: 1 } },
    ]);
    expect(h.signals[0]!.detector).to.match(/^event .*BackOff/);
    const r = await run;
    expect(h.phases.map((p) => p.phase)).to.deep.equal([
      "setup",
      "steady-state",
      "inject",
      "detect",
      "remediate",
      "recover",
      "verify",
      "cleanup",
    ]);
    expect(h.phases.every((p) => p.who.scenario === "demo" && p.who.attempt === 1)).to.equal(true);
    expect(r.ttdMs).to.equal(900);
  });

  it("labels the namespace and every applied object with the run", async () => {
    const h = harness();
    const run = runScenario(demo({ detect: { mode: "all", signals: [] } }), h.ctx);
    await run;
    const created = h.kube.callsOf("create")[0]!.args[0] as { metadata: { labels: Record<string, string> } };
    expect(created.metadata.labels[LABEL_RUN_ID]).to.equal("run1");
    const applied = h.kube
      .callsOf("apply")
      .map((c) => c.args[0] as { metadata: { namespace: string; labels: Record<string, string> } });
    expect(applied).to.have.length(2);
    for (const a of applied) {
      expect(a.metadata.namespace).to.equal(NS);
      expect(a.metadata.labels).to.include({
        [LABEL_RUN_ID]: "run1",
        "app.kubernetes.io/managed-by": "kubedrill",
        "kubedrill.io/scenario": NS,
      });
    }
  });

  it("fails when TTD exceeds its target, and still measures recovery", async () => {
    const h = harness();
    const run = runScenario(demo({ remediate: { steps: [], external: { description: "an operator" } } }), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(30_000); // the TTD target passes: remediation starts (external)
    await h.inPhase("recover");
    await h.clock.advance(11_250);
    h.kube.put(backOff()); // late: +41250ms
    await h.clock.advance(750);
    h.kube.put({
      ...h.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: NS })!,
      data: { healthy: "yes" },
    });
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.ttdMs).to.equal(41_250);
    expect(r.rtoMs).to.equal(42_000);
    expect(r.reasons).to.deep.equal(["TTD 41250ms exceeded target 30000ms by 11250ms"]);
  });

  it("fails when a signal is never seen, naming it and the target", async () => {
    const h = harness();
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(30_000);
    const r = await run;
    expect(r.ttdMs).to.equal(null);
    expect(r.rtoMs).to.equal(30_000); // remediation ran when the TTD target passed
    expect(r.reasons).to.have.length(1);
    expect(r.reasons[0]).to.match(
      /^signal event BackOff on Pod \{app=web\} \/Back-off\/ not seen within TTD target 30000ms \(watched for 30000ms\)$/,
    );
  });

  it("fails on RTO without remediation (--no-remediate)", async () => {
    const h = harness({ remediate: false });
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(2000);
    h.kube.put(backOff());
    await h.inPhase("recover");
    await h.clock.advance(58_012);
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.ttdMs).to.equal(2000);
    expect(r.rtoMs).to.equal(null);
    expect(r.reasons).to.deep.equal(["not recovered within RTO target 60000ms (no remediation; waited 60000ms)"]);
    // no remediation ran; the fault's change in the run's namespace goes with the namespace (no revert patch)
    expect(h.kube.callsOf("patch").filter((c) => JSON.stringify(c.args[1]).includes('"yes"'))).to.have.length(0);
    expect(h.kube.objects(undefined, NS)).to.deep.equal([]);
    expect(r.evidence.some((e) => e.kind === "probe" && /healthy = no/.test(e.text))).to.equal(true);
  });

  it("waits for recovery to hold for holdFor, and reports when it began", async () => {
    const h = harness();
    const run = runScenario(
      demo({
        remediate: { steps: [], external: { description: "on-call" } },
        recover: { probes: [], rpo: [], holdForMs: 5000 },
      }),
      h.ctx,
    );
    await h.inPhase("detect");
    await h.clock.advance(1000);
    h.kube.put(backOff());
    await h.inPhase("recover");
    const cm = () => h.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: NS })!;
    await h.clock.advance(2000);
    h.kube.put({ ...cm(), data: { healthy: "yes" } }); // +3000, flaps
    await h.clock.advance(1000);
    h.kube.put({ ...cm(), data: { healthy: "no" } }); // +4000
    await h.clock.advance(1000);
    h.kube.put({ ...cm(), data: { healthy: "yes" } }); // +5000, holds
    await h.clock.advance(5000);
    const r = await run;
    expect(r.status).to.equal("passed");
    expect(r.rtoMs).to.equal(5000);
  });

  it("fails when an RPO probe fails", async () => {
    const h = harness();
    const rpo = spec(
      "field",
      { target: { kind: "ConfigMap", name: "app" }, path: "data.orders", equals: "42" },
      "spec.recover.rpo[0]",
    );
    const run = runScenario(demo({ recover: { probes: [], rpo: [rpo], holdForMs: 0 } }), h.ctx);
    await h.inPhase("detect");
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.reasons).to.deep.equal([
      `RPO probe field ConfigMap/app in ${NS} data.orders equals "42" failed: ConfigMap/${NS}/app data.orders = (absent)`,
    ]);
  });

  it("fails when cleanup leaves the namespace behind, listing it", async () => {
    const h = harness();
    h.kube.namespaceDeletion = "stuck";
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    h.kube.put(backOff());
    await h.inPhase("cleanup");
    await until(() => h.clock.pendingSleeps > 0, "cleanup waiting for the namespace to go");
    await h.clock.advance(5000);
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.cleanup.ok).to.equal(false);
    expect(r.cleanup.leftovers).to.deep.equal([`Namespace/${NS} (still there after 5000ms)`]);
    expect(r.reasons).to.deep.equal([`cleanup left 1 thing(s) behind: Namespace/${NS} (still there after 5000ms)`]);
  });

  it("lists cluster-scoped objects the run could not remove as leftovers", async () => {
    const h = harness();
    const pc = spec(
      "apply",
      {
        objects: [
          {
            apiVersion: "scheduling.k8s.io/v1",
            kind: "PriorityClass",
            metadata: { name: "kd-core-${runId}" },
            value: 1000,
          },
        ],
      },
      "spec.setup.steps[1]",
    );
    h.kube.failNext(
      "delete",
      new Error("the server is currently unable to handle the request"),
      (a) => (a[0] as { kind: string }).kind === "PriorityClass",
    );
    const run = runScenario(demo({ setup: { steps: [demoSetup(), pc] } }), h.ctx);
    await h.inPhase("detect");
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.cleanup.leftovers).to.deep.equal([
      "revert failed: spec.setup.steps[1] (apply): apply 1 object(s) from 1 inline object(s): PriorityClass/kd-core-run1: apply PriorityClass/kd-core-run1: the server is currently unable to handle the request",
      "PriorityClass/kd-core-run1",
    ]);
    expect(r.reasons).to.have.length(1);
    expect(r.reasons[0]).to.match(/^cleanup left 2 thing\(s\) behind: revert failed: .*, PriorityClass\/kd-core-run1$/);
  });

  it('says what a revert could not bring back as it was, not "cleanup complete"', async () => {
    const h = harness();
    h.kube.put({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" }, provisioner: "x" });
    const uid = h.kube.object({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: "fast" })!.metadata.uid;
    const del = spec("delete", { target: { kind: "StorageClass", name: "fast" } }, "spec.fault[1]");
    const run = runScenario(demo({ fault: [setHealthy("no", "spec.fault[0]"), del] }), h.ctx);
    await h.inPhase("detect");
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("passed");
    const back = h.kube.object({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: "fast" })!;
    expect(back.metadata.uid).to.not.equal(uid);
    const said =
      "StorageClass/fast was deleted and recreated from a copy: it has a new uid, its status is gone, and whatever referred to the old uid (owner references, finalizers' bookkeeping) does not follow";
    expect(r.cleanup).to.deep.equal({ ok: true, leftovers: [], notRestored: [said] });
    const last = r.timeline.filter((t) => t.phase === "cleanup").at(-1)!;
    expect(last.what).to.equal(`cleanup done, nothing left behind; not as it was: ${said}`);
    expect(r.timeline.map((t) => t.what)).to.not.include("cleanup complete");
  });

  it("errors before changing anything when the cluster has too few Ready nodes", async () => {
    const h = harness();
    h.kube.put(node("n1"));
    h.kube.put(node("n2", { conditions: [{ type: "Ready", status: "False" }] }));
    const r = await runScenario(demo({ requires: { nodes: 2 } }), h.ctx);
    expect(r.status).to.equal("error");
    expect(r.reasons).to.deep.equal(["the scenario requires 2 Ready node(s); the cluster has 1 (of 2)"]);
    expect(h.kube.callsOf("create")).to.deep.equal([]);
  });

  it("errors in setup, and still cleans up", async () => {
    const h = harness();
    h.kube.failNext(
      "apply",
      new Error("admission webhook denied the request"),
      (a) => (a[0] as { kind: string }).kind === "Pod",
    );
    const r = await runScenario(demo(), h.ctx);
    expect(r.status).to.equal("error");
    expect(r.reasons[0]).to.match(
      /demo\.yaml:\d+:5 spec\.setup\.steps\[0\] \(apply\): apply Pod\/kd-demo-abcde\/web-0 .*admission webhook denied the request/,
    );
    // the ConfigMap applied before the failing Pod goes with the namespace, not one by one
    const deletes = h.kube.callsOf("delete").map((c) => (c.args[0] as { kind: string }).kind);
    expect(deletes).to.deep.equal(["Namespace"]);
    expect(h.kube.objects("ConfigMap")).to.deep.equal([]);
    expect(r.ttdMs).to.equal(null);
    expect(r.cleanup.ok).to.equal(true);
  });

  it("errors in a fault step, undoing the fault steps already done (what outlives the namespace)", async () => {
    const h = harness();
    h.kube.put(node("n1"));
    const inNamespace = spec(
      "patch",
      { target: { kind: "ConfigMap", name: "app" }, patch: { data: { mode: "broken" } } },
      "spec.fault[0]",
    );
    const cordon = spec(
      "patch",
      { target: { kind: "Node", name: "n1" }, patch: { spec: { unschedulable: true } } },
      "spec.fault[1]",
    );
    const bad = spec(
      "patch",
      { target: { kind: "ConfigMap", name: "missing" }, patch: { data: { x: "y" } } },
      "spec.fault[2]",
    );
    const r = await runScenario(demo({ fault: [inNamespace, cordon, bad] }), h.ctx);
    expect(r.status).to.equal("error");
    expect(r.reasons[0]).to.match(
      /spec\.fault\[2\] \(patch\): patch: nothing matches ConfigMap\/missing in kd-demo-abcde/,
    );
    const patched = (kind: string) =>
      h.kube
        .callsOf("patch")
        .filter((c) => (c.args[0] as { kind: string }).kind === kind)
        .map((c) => c.args[1]);
    // the ConfigMap goes with the namespace: patched once, never restored
    expect(patched("ConfigMap")).to.deep.equal([{ data: { mode: "broken" } }]);
    // the Node outlives it: marked, changed, restored (marks removed)
    expect(patched("Node")).to.have.length(3);
    const n1 = h.kube.object({ apiVersion: "v1", kind: "Node", name: "n1" })!;
    expect(n1.spec).to.deep.equal({});
    expect(n1.metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
    expect(h.kube.objects(undefined, NS)).to.deep.equal([]);
    expect(r.timeline.some((t) => t.phase === "inject")).to.equal(true);
  });

  it("with external remediation, just waits for recovery", async () => {
    const h = harness();
    const run = runScenario(
      demo({ remediate: { steps: [], external: { description: "the on-call engineer" } } }),
      h.ctx,
    );
    await h.inPhase("detect");
    await h.clock.advance(800);
    h.kube.put(backOff());
    await h.inPhase("recover");
    await h.clock.advance(4200);
    h.kube.put({
      ...h.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: NS })!,
      data: { healthy: "yes" },
    });
    const r = await run;
    expect(r.status).to.equal("passed");
    expect(r.ttdMs).to.equal(800);
    expect(r.rtoMs).to.equal(5000);
    const remediate = r.timeline.filter((t) => t.phase === "remediate").map((t) => t.what);
    expect(
      remediate.some((w) => w.includes("the on-call engineer")),
      "the description is in the timeline",
    ).to.equal(true);
  });

  it("errors when the steady state does not hold before the fault", async () => {
    const h = harness();
    const r0 = runScenario(
      demo({ steadyState: [healthy("maybe")], setup: { steps: [demoSetup()], waitFor: [], timeoutMs: 10_000 } }),
      h.ctx,
    );
    await h.inPhase("steady-state");
    await h.clock.advance(10_000);
    const r = await r0;
    expect(r.status).to.equal("error");
    expect(r.reasons[0]).to.match(
      /^steady state did not hold within 10000ms: ConfigMap\/kd-demo-abcde\/app data.healthy = yes/,
    );
    expect(h.kube.callsOf("patch").filter((c) => (c.args[0] as { kind: string }).kind !== "Namespace")).to.have.length(
      0,
    ); // no fault was injected
  });

  it("errors (not hangs) when a watch fails", async () => {
    const h = harness();
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    h.kube.failWatch("Event", new Error("connection reset"));
    const r = await run;
    expect(r.status).to.equal("error");
    expect(r.reasons[0]).to.match(/watch of Event failed: connection reset/);
    expect(h.kube.object({ apiVersion: "v1", kind: "Namespace", name: NS })).to.equal(undefined);
  });
});
