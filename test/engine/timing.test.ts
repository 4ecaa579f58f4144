import { expect } from "chai";
import { DetectionMonitor } from "../../src/engine/detection.ts";
import { ProbeMonitor } from "../../src/engine/monitor.ts";
import type { Detector, Probe } from "../../src/sdk/types.ts";
import { flushMicrotasks } from "../../src/util/clock.ts";
import { configMap, node, pod } from "../fakes/objects.ts";
import { until } from "../fakes/settle.ts";
import { NS, stepEnv } from "./step-env.ts";

const NODE = { apiVersion: "v1", kind: "Node" };

/** A probe/detector that needs 300ms per evaluation and reads the "service" at its end. */
function slow(e: ReturnType<typeof stepEnv>, state: { healthy: boolean; evaluations: number }) {
  const read = async () => {
    await e.clock.sleep(300);
    state.evaluations++;
    return state.healthy;
  };
  const probe: Probe = {
    describe: () => "slow check",
    kinds: [NODE],
    evaluate: async () =>
      (await read())
        ? { ok: true, message: "healthy", simulated: false }
        : { ok: false, message: "down", simulated: false },
  };
  const detector: Detector = {
    describe: () => "slow check fails",
    kinds: [NODE],
    match: async () => ((await read()) ? undefined : { kind: "probe", text: "down", simulated: false }),
  };
  return { probe, detector };
}

/** Ten Node events in the first second (one every 100ms), as a node status storm. */
async function nodeStorm(e: ReturnType<typeof stepEnv>) {
  for (let i = 0; i < 10; i++) {
    e.kube.put(node("n1", { labels: { beat: String(i) } }));
    await flushMicrotasks(); // delivered now (the fake delivers on a microtask)
    await e.clock.advance(100);
  }
}

describe("evaluation timing: coalesced, filtered by kind, stamped when known", () => {
  it("a slow probe under an event storm does not report a hold from before the service was healthy", async () => {
    const e = stepEnv();
    await e.view.ensure([NODE]);
    const state = { healthy: false, evaluations: 0 };
    const m = new ProbeMonitor([slow(e, state).probe], e.ctx).start();
    const t0 = e.clock.now();
    const early = m.waitHold({ holdForMs: 0, deadline: t0 + 1200 });
    await nodeStorm(e); // t0 .. t0+1000
    await e.clock.advance(504);
    state.healthy = true; // t0+1504
    await e.clock.advance(2000);
    expect(await early, "a hold reported before the deadline").to.equal(undefined);
    // one evaluation in flight, one pending: not one per event
    expect(state.evaluations).to.be.at.most(6);
    e.kube.put(node("n1", { labels: { beat: "late" } }));
    await flushMicrotasks();
    const late = m.waitHold({ holdForMs: 0, deadline: t0 + 10_000 });
    await e.clock.advance(1000);
    const held = await late;
    expect(held! - t0).to.be.at.least(1504);
    m.stop();
  });

  it("a slow state detector under an event storm is not stamped before the failure", async () => {
    const e = stepEnv();
    await e.view.ensure([NODE]);
    const state = { healthy: true, evaluations: 0 };
    const d = new DetectionMonitor([slow(e, state).detector], e.ctx, "all").start();
    await e.clock.advance(300);
    const t0 = e.clock.now();
    d.countFrom(t0);
    await nodeStorm(e);
    await e.clock.advance(504);
    state.healthy = false; // t0+1504
    e.kube.put(node("n1", { labels: { beat: "after" } }));
    await flushMicrotasks();
    await e.clock.advance(2000);
    await until(() => d.detectedAt() !== undefined, "detected");
    expect(d.detectedAt()! - t0).to.be.at.least(1504);
    expect(state.evaluations).to.be.at.most(9);
    d.stop();
  });

  it("re-evaluates a probe or detector only for changes of its kinds (polled ones on their timer)", async () => {
    const e = stepEnv();
    await e.view.ensure([
      NODE,
      { apiVersion: "v1", kind: "ConfigMap", namespace: NS },
      { apiVersion: "v1", kind: "Pod", namespace: NS },
    ]);
    const counts = { cm: 0, polled: 0, detector: 0 };
    const cmProbe: Probe = {
      describe: () => "cm",
      kinds: [{ apiVersion: "v1", kind: "ConfigMap", namespace: NS }],
      evaluate: () => (counts.cm++, { ok: true, message: "", simulated: false }),
    };
    const polled: Probe = {
      describe: () => "polled",
      kinds: [],
      pollIntervalMs: 1000,
      evaluate: () => (counts.polled++, { ok: true, message: "", simulated: false }),
    };
    const nodeDetector: Detector = { describe: () => "node", kinds: [NODE], match: () => void counts.detector++ };
    const m = new ProbeMonitor([cmProbe, polled], e.ctx).start();
    const d = new DetectionMonitor([nodeDetector], e.ctx, "all").start();
    d.countFrom(e.clock.now());
    await flushMicrotasks();
    const base = { ...counts };
    const since = () => ({
      cm: counts.cm - base.cm,
      polled: counts.polled - base.polled,
      detector: counts.detector - base.detector,
    });
    for (let i = 0; i < 5; i++) e.kube.put(pod(`p${i}`, NS, { app: "x" }, true));
    await e.clock.advance(10);
    expect(since(), "after Pod changes").to.deep.equal({ cm: 0, polled: 0, detector: 0 });
    e.kube.put(configMap("app", NS, { a: "1" }));
    e.kube.put(configMap("app", "elsewhere", { a: "1" })); // another namespace: not the probe's
    e.kube.put(node("n1"));
    await e.clock.advance(10);
    expect(since(), "after a ConfigMap and a Node change").to.deep.equal({ cm: 1, polled: 0, detector: 1 });
    await e.clock.advance(1000);
    expect(since(), "after the poll interval").to.deep.equal({ cm: 1, polled: 1, detector: 1 });
    m.stop();
    d.stop();
  });
});
