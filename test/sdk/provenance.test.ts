import { expect } from "chai";
import { fieldOwners } from "../../src/k8s/managed-fields.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { modelledDataPlane } from "../../src/dataplane/index.ts";
import { realDataPlane } from "../../src/dataplane/real.ts";
import {
  conditionField,
  eventIsSimulated,
  eventReporter,
  fieldIsSimulated,
  MODEL_FIELD_MANAGER,
} from "../../src/sdk/provenance.ts";
import { flushMicrotasks } from "../../src/util/clock.ts";
import { NS, stepEnv } from "../engine/step-env.ts";
import { conditionFields, event, node, pod, writtenBy } from "../fakes/objects.ts";
import { processResult } from "../fakes/process.ts";

const MODEL_TEXT = "kubelet has disk pressure (simulated: no real disk on this node)";
const pressure = { type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure", message: MODEL_TEXT };

/** A node whose DiskPressure condition (worded as the model words it) was written by `manager`. */
const pressuredNode = (manager: string) =>
  writtenBy(node("n1", { conditions: [pressure] }), manager, conditionFields("DiskPressure"));

/** Core/v1 Events as kwok v0.8 (record.EventRecorder, component kwok_controller) and a real kubelet record them. */
const reported = (ev: KObject, component: string): KObject => ({
  ...ev,
  source: { component, host: "n1" },
  reportingComponent: component,
  reportingInstance: "n1",
});

describe("provenance: simulated is decided by who wrote the evidence", () => {
  it("finds the owners of a field in managedFields: keyed list items, leaves, atomic lists", () => {
    // a kwok node: kwok reported it Ready; the node-lifecycle controller then set Ready=Unknown
    // (changing status, reason, message, lastTransitionTime), and kwok still owns the heartbeat
    let n = node("n1", { conditions: [{ type: "Ready", status: "Unknown" }, pressure], taints: [] });
    n = writtenBy(n, "kwok", {
      "f:status": {
        "f:conditions": {
          'k:{"type":"Ready"}': { ".": {}, "f:lastHeartbeatTime": {}, "f:type": {} },
          'k:{"type":"DiskPressure"}': { ".": {}, "f:type": {} },
        },
      },
    });
    n = writtenBy(n, "kube-controller-manager", {
      "f:spec": { "f:taints": {} },
      "f:status": {
        "f:conditions": {
          'k:{"type":"Ready"}': { "f:lastTransitionTime": {}, "f:message": {}, "f:reason": {}, "f:status": {} },
        },
      },
    });
    n = writtenBy(n, MODEL_FIELD_MANAGER, {
      "f:status": { "f:conditions": { 'k:{"type":"DiskPressure"}': { "f:message": {}, "f:status": {} } } },
    });
    expect(fieldOwners(n, conditionField("Ready"))).to.deep.equal(["kube-controller-manager"]);
    expect(fieldOwners(n, conditionField("DiskPressure"))).to.deep.equal([MODEL_FIELD_MANAGER]);
    expect(fieldOwners(n, ["status", "conditions", { type: "Ready" }])).to.deep.equal([
      "kube-controller-manager",
      "kwok",
    ]);
    // by index, as the field probe's path status.conditions[1].status says it
    expect(fieldOwners(n, ["status", "conditions", "1", "status"])).to.deep.equal([MODEL_FIELD_MANAGER]);
    // an atomic list is owned whole, with everything in it
    expect(fieldOwners(n, ["spec", "taints", 0, "key"])).to.deep.equal(["kube-controller-manager"]);
    expect(fieldOwners(n, ["status", "conditions", { type: "MemoryPressure" }, "status"])).to.deep.equal([]);
    expect(fieldOwners(node("n2"), ["status"])).to.deep.equal([]);

    expect(fieldIsSimulated(n, conditionField("Ready"))).to.equal(false);
    expect(fieldIsSimulated(n, conditionField("DiskPressure"))).to.equal(true);
  });

  it("evidence from kwok-model-written objects and events is simulated", async () => {
    const e = stepEnv();
    const cond = e.probe("condition", { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" });
    await e.view.ensure(cond.kinds);
    e.kube.put(pressuredNode(MODEL_FIELD_MANAGER));
    await flushMicrotasks();
    expect(await cond.evaluate(e.ctx)).to.deep.equal({
      ok: true,
      message: `Node/n1 DiskPressure=True (KubeletHasDiskPressure): ${MODEL_TEXT}`,
      simulated: true,
    });

    // kwok reports pods Ready on kwok nodes
    const ready = e.probe("podsReady", { selector: "app=web" });
    await e.view.ensure(ready.kinds);
    e.kube.put(writtenBy(pod("web-0", NS, { app: "web" }, true), "kwok", conditionFields("Ready")));
    await flushMicrotasks();
    expect(await ready.evaluate(e.ctx)).to.include({ ok: true, simulated: true });

    // the no-space stage's event, recorded by kwok
    const evicted = e.signal("event", { involvedKind: "Pod", reason: "Evicted", message: "DiskPressure" });
    const ev = reported(
      event(
        "e1",
        NS,
        { kind: "Pod", name: "web-0", namespace: NS },
        "Evicted",
        "The node had condition: [DiskPressure].",
      ),
      "kwok_controller",
    );
    const seen = await evicted.match(e.ctx, { type: "ADDED", resource: ev, object: ev, receivedAt: 0 });
    expect(seen).to.include({ kind: "event", simulated: true });
  });

  it("identical-looking evidence that a real kubelet or a user wrote is not simulated, whatever its text", async () => {
    const e = stepEnv();
    const cond = e.probe("condition", { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" });
    const signal = e.signal("condition", {
      target: { kind: "Node", name: "n1" },
      type: "DiskPressure",
      status: "True",
    });
    await e.view.ensure(cond.kinds);
    for (const writer of ["kubelet", "kubectl-edit", "kubedrill"]) {
      e.kube.put(pressuredNode(writer));
      await flushMicrotasks();
      const r = await cond.evaluate(e.ctx);
      expect(r.message, writer).to.include("(simulated");
      expect(r.simulated, writer).to.equal(false);
      expect(await signal.match(e.ctx, undefined), writer).to.include({ simulated: false });
    }
    // the same node, written by the model: the only difference is the writer
    e.kube.put(pressuredNode(MODEL_FIELD_MANAGER));
    await flushMicrotasks();
    expect(await signal.match(e.ctx, undefined)).to.include({ simulated: true });

    const evicted = e.signal("event", { involvedKind: "Pod", reason: "Evicted" });
    const text = "The node had condition: [DiskPressure]. (simulated on n1)";
    const byKubelet = reported(event("e2", NS, { kind: "Pod", name: "p", namespace: NS }, "Evicted", text), "kubelet");
    const r = await evicted.match(e.ctx, { type: "ADDED", resource: byKubelet, object: byKubelet, receivedAt: 0 });
    expect(r).to.include({ text: `Warning Evicted on Pod/p: ${text}`, simulated: false });
    // an Event a user created, naming no reporter
    const byUser = event("e3", NS, { kind: "Pod", name: "p", namespace: NS }, "Evicted", text);
    expect(await evicted.match(e.ctx, { type: "ADDED", resource: byUser, object: byUser, receivedAt: 0 })).to.include({
      simulated: false,
    });
  });

  it("reads the reporter of core/v1 and events.k8s.io/v1 Events, old and new", () => {
    const ev = event("e", NS, { kind: "Pod", name: "p" }, "BackOff", "Back-off restarting failed container");
    // an old recorder: empty reportingComponent, the component in source
    expect(eventReporter({ ...ev, reportingComponent: "", source: { component: "kwok_controller" } })).to.equal(
      "kwok_controller",
    );
    expect(eventIsSimulated({ ...ev, reportingComponent: "", source: { component: "kwok_controller" } })).to.equal(
      true,
    );
    // the events API: reportingController, the old source as deprecatedSource
    expect(
      eventIsSimulated({ ...ev, apiVersion: "events.k8s.io/v1", reportingController: "kwok_controller" }),
    ).to.equal(true);
    expect(eventIsSimulated({ ...ev, reportingComponent: "default-scheduler", source: {} })).to.equal(false);
    expect(eventReporter(ev)).to.equal(undefined);
    expect(eventIsSimulated(ev)).to.equal(false);
  });

  it("the modelled data plane's answers are simulated; the real data plane's are not", async () => {
    const e = stepEnv();
    const conn = e.probe("connectivity", { from: "app=orders", to: { service: "db", port: 5432 } });
    await e.view.ensure(conn.kinds);
    e.kube.put(pod("orders-0", NS, { app: "orders" }, true));
    e.kube.put({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "db", namespace: NS },
      spec: { clusterIP: "10.96.0.20", ports: [{ port: 5432 }], selector: { app: "db" } },
    });
    await flushMicrotasks();

    e.ctx.dataPlane = modelledDataPlane({ serviceCIDR: "10.96.0.0/16" });
    const modelled = await conn.evaluate(e.ctx);
    expect(modelled.simulated).to.equal(true);

    let ran: string[] = [];
    const run = async (argv: readonly string[]) => {
      ran = [...argv];
      return processResult({ command: argv.join(" ") });
    };
    e.ctx.dataPlane = realDataPlane({ kubeconfig: "/k", run });
    const real = await conn.evaluate(e.ctx);
    expect(ran, "the real data plane connects from a client pod").to.include("exec");
    expect(real).to.include({ ok: true, simulated: false });
  });
});
