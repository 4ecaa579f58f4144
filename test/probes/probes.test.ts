import { expect } from "chai";
import { ProbeMonitor } from "../../src/engine/monitor.ts";
import type { DataPlane } from "../../src/sdk/types.ts";
import { flushMicrotasks } from "../../src/util/clock.ts";
import { node, pod } from "../fakes/objects.ts";
import { until } from "../fakes/settle.ts";
import { NS, stepEnv } from "../engine/step-env.ts";
import { processResult } from "../fakes/process.ts";

async function evaluate(e: ReturnType<typeof stepEnv>, type: string, params: Record<string, unknown>) {
  const p = e.probe(type, params);
  await e.view.ensure(p.kinds);
  return p.evaluate(e.ctx);
}

describe("probes", () => {
  it("podsReady: all matching (at least one), or a count; terminal and deleting pods do not count", async () => {
    const e = stepEnv();
    e.kube.put(pod("a", NS, { app: "x" }, true));
    e.kube.put(pod("b", NS, { app: "x" }, false));
    e.kube.put(pod("old", NS, { app: "x" }, false, "Failed"));
    expect(await evaluate(e, "podsReady", { selector: "app=x" })).to.deep.equal({
      ok: false,
      message: `1/2 pods app=x Ready in ${NS}: b Running (Ready: ContainersNotReady)`,
      simulated: false,
    });
    expect((await evaluate(e, "podsReady", { selector: "app=x", count: 1 })).ok).to.equal(true);
    expect((await evaluate(e, "podsReady", { selector: "app=nothing" })).ok).to.equal(false);
  });

  it("available: replicas available, updated and observed", async () => {
    const e = stepEnv();
    const dep = (status: Record<string, number>) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: NS, generation: 2 },
      spec: { replicas: 3 },
      status,
    });
    e.kube.put(dep({ availableReplicas: 2, updatedReplicas: 3, observedGeneration: 2 }));
    const p = e.probe("available", { target: { kind: "Deployment", name: "api" } });
    await e.view.ensure(p.kinds);
    expect(await p.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message: `Deployment/${NS}/api: 2/3 available`,
      simulated: false,
    });
    e.kube.put(dep({ availableReplicas: 3, updatedReplicas: 3, observedGeneration: 1 }));
    await flushMicrotasks();
    expect((await p.evaluate(e.ctx)).message).to.equal(
      `Deployment/${NS}/api: 3/3 available, spec change not yet observed`,
    );
    e.kube.put(dep({ availableReplicas: 3, updatedReplicas: 3, observedGeneration: 2 }));
    await flushMicrotasks();
    expect((await p.evaluate(e.ctx)).ok).to.equal(true);
  });

  it("taint: holds only when every selected node carries the taint, and names the ones that do not", async () => {
    const e = stepEnv();
    const zoneB = { "topology.kubernetes.io/zone": "zone-b" };
    const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };
    e.kube.put(node("w3", { labels: zoneB, taints: [unreachable] }));
    e.kube.put(node("w4", { labels: zoneB }));
    e.kube.put(node("w1", { labels: { "topology.kubernetes.io/zone": "zone-a" } }));
    const params = {
      nodes: { selector: "topology.kubernetes.io/zone=zone-b" },
      key: "node.kubernetes.io/unreachable",
      effect: "NoSchedule",
    };
    // the moment the incident came from: one node of the zone tainted, the other not yet
    expect(await evaluate(e, "taint", params)).to.deep.equal({
      ok: false,
      message: "Node/w4 has no taint node.kubernetes.io/unreachable:NoSchedule",
      simulated: false,
    });
    e.kube.put(node("w4", { labels: zoneB, taints: [{ ...unreachable, effect: "NoExecute" }] }));
    await flushMicrotasks();
    expect((await evaluate(e, "taint", params)).ok, "the effect must match too").to.equal(false);
    e.kube.put(node("w4", { labels: zoneB, taints: [unreachable] }));
    await flushMicrotasks();
    const held = await evaluate(e, "taint", params);
    expect(held.ok).to.equal(true);
    expect(held.message).to.match(/^Node\/w3 taint node\.kubernetes\.io\/unreachable:NoSchedule; Node\/w4 /);
    expect((await evaluate(e, "taint", { ...params, nodes: { selector: "zone=none" } })).ok).to.equal(false);
    // every named node must exist: a missing one is not passed over
    expect(await evaluate(e, "taint", { ...params, nodes: ["w3", "w9"] })).to.deep.equal({
      ok: false,
      message: "Node/w9 does not exist",
      simulated: false,
    });
    expect((await evaluate(e, "taint", { ...params, nodes: ["w3", "w4"] })).ok).to.equal(true);
  });

  it("condition and field read the cache; messages quote the cluster verbatim", async () => {
    const e = stepEnv();
    e.kube.put({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: NS },
      status: {
        phase: "Pending",
        conditions: [{ type: "Resizing", status: "False", reason: "NoCapacity", message: "no room" }],
      },
    });
    expect(
      await evaluate(e, "condition", {
        target: { kind: "PersistentVolumeClaim", name: "data" },
        type: "Resizing",
        status: "True",
      }),
    ).to.deep.equal({
      ok: false,
      message: `PersistentVolumeClaim/${NS}/data Resizing=False (NoCapacity): no room`,
      simulated: false,
    });
    expect(
      await evaluate(e, "field", {
        target: { kind: "PersistentVolumeClaim", name: "data" },
        path: "status.phase",
        equals: "Bound",
      }),
    ).to.deep.equal({
      ok: false,
      message: `PersistentVolumeClaim/${NS}/data status.phase = Pending`,
      simulated: false,
    });
    expect(
      (
        await evaluate(e, "field", {
          target: { kind: "PersistentVolumeClaim", name: "data" },
          path: "status.conditions[0].reason",
          matches: "^No",
        })
      ).ok,
    ).to.equal(true);
    expect(
      (
        await evaluate(e, "field", {
          target: { kind: "PersistentVolumeClaim", name: "data" },
          path: "spec.volumeName",
          exists: false,
        })
      ).ok,
    ).to.equal(true);
  });

  it("noFinding runs the injected analysers on a snapshot of the cache", async () => {
    const e = stepEnv();
    e.kube.put(pod("a", NS, { app: "x" }, false, "Pending"));
    e.ctx.analyse = (snap) =>
      snap.pods
        .filter((p) => p.status?.phase === "Pending")
        .map((p) => ({
          code: "InsufficientResources" as const,
          severity: "critical" as const,
          object: { kind: "Pod", name: p.metadata.name! },
          message: `pod ${p.metadata.name} cannot be scheduled`,
          evidence: [],
          remedy: "",
        }));
    expect(await evaluate(e, "noFinding", { code: "InsufficientResources" })).to.deep.equal({
      ok: false,
      message: "1 InsufficientResources finding(s): pod a cannot be scheduled",
      simulated: false,
    });
    expect((await evaluate(e, "noFinding", { code: "PVCUnbound" })).ok).to.equal(true);
  });

  it("command probes poll at their interval (nothing can be watched for them)", async () => {
    let exit = 1;
    const e = stepEnv({ exec: async () => processResult({ exitCode: exit, output: "nope" }) });
    const probe = e.probe("command", { run: ["check"], interval: "2s" });
    expect(probe.pollIntervalMs).to.equal(2000);
    const t0 = e.clock.now();
    const m = new ProbeMonitor([probe], e.ctx).start();
    await m.settled();
    expect(m.holdingSince).to.equal(undefined);
    exit = 0;
    await e.clock.advance(1999);
    expect(m.holdingSince).to.equal(undefined);
    await e.clock.advance(1);
    await until(() => m.holdingSince !== undefined, "the poll at 2s");
    expect(m.holdingSince).to.equal(t0 + 2000);
    m.stop();
    expect(e.clock.pendingSleeps).to.equal(0);
  });

  it("http: status and body, errors and time-outs as failures", async () => {
    const e = stepEnv();
    e.ctx.fetch = async (url) => {
      if (url.endsWith("/down")) throw new Error("connect ECONNREFUSED 127.0.0.1:8080");
      return { status: url.endsWith("/teapot") ? 418 : 200, text: async () => "status: ok" };
    };
    expect(await e.probe("http", { url: "http://127.0.0.1:8080/", bodyMatches: "ok$" }).evaluate(e.ctx)).to.deep.equal({
      ok: true,
      message: "GET http://127.0.0.1:8080/: 200",
      simulated: false,
    });
    expect((await e.probe("http", { url: "http://127.0.0.1:8080/teapot" }).evaluate(e.ctx)).message).to.equal(
      "GET http://127.0.0.1:8080/teapot: status 418 (expected 200)",
    );
    expect((await e.probe("http", { url: "http://127.0.0.1:8080/down" }).evaluate(e.ctx)).message).to.equal(
      "GET http://127.0.0.1:8080/down: connect ECONNREFUSED 127.0.0.1:8080",
    );
  });

  it("connectivity and route delegate to the data plane, simulated exactly when it is a model", async () => {
    const e = stepEnv();
    const calls: unknown[] = [];
    const dp: DataPlane = {
      modelled: true,
      connectivity: (params, c) => (
        calls.push(["conn", params, c.namespace]),
        { ok: false, message: "blocked by NetworkPolicy deny-all" }
      ),
      route: (params) => (calls.push(["route", params]), { ok: true, message: "/api -> api-prod" }),
    };
    const conn = e.probe("connectivity", { from: "app=orders", to: { service: "db", port: 5432 } });
    const route = e.probe("route", { host: "shop.example", path: "/api", expectService: "api-prod" });
    expect(await conn.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message: "connectivity needs a data plane (real or modelled), and this cluster provides none",
      simulated: false,
    });
    e.ctx.dataPlane = dp;
    expect(await conn.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message: "blocked by NetworkPolicy deny-all",
      simulated: true,
    });
    expect((await route.evaluate(e.ctx)).simulated).to.equal(true);
    // a real data plane's answer is not simulated, whatever its text says
    e.ctx.dataPlane = { ...dp, modelled: false, route: () => ({ ok: true, message: "/api -> api (simulated)" }) };
    expect(await route.evaluate(e.ctx)).to.deep.equal({
      ok: true,
      message: "/api -> api (simulated)",
      simulated: false,
    });
    e.ctx.dataPlane = dp;
    expect(calls).to.deep.equal([
      ["conn", { from: "app=orders", namespace: NS, to: { service: "db", port: 5432 } }, NS],
      ["route", { path: "/api", expectService: "api-prod", namespace: NS, host: "shop.example" }],
    ]);
    expect(conn.pollIntervalMs).to.equal(1000);
    expect(conn.kinds.map((k) => k.kind)).to.include.members(["Pod", "Service", "NetworkPolicy", "EndpointSlice"]);
  });

  it("a probe that throws counts as failing, with its error", async () => {
    const e = stepEnv();
    const p = e.probe("noFinding", { code: "CrashLoop" });
    await e.view.ensure(p.kinds);
    const m = new ProbeMonitor([p], e.ctx).start();
    await m.settled();
    expect(m.failures()).to.deep.equal([
      `no CrashLoop finding in ${NS}: no diagnose analysers were given to the runner`,
    ]);
    m.stop();
  });
});
