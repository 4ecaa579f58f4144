import { expect } from "chai";
import { ProbeMonitor } from "../../src/engine/monitor.ts";
import { until } from "../fakes/settle.ts";
import { NS, stepEnv } from "./step-env.ts";
import { configMap } from "../fakes/objects.ts";

const cm = (v: string) => configMap("app", NS, { healthy: v });

async function monitoring() {
  const e = stepEnv();
  e.kube.put(cm("no"));
  const probe = e.probe("field", { target: { kind: "ConfigMap", name: "app" }, path: "data.healthy", equals: "yes" });
  await e.view.ensure(probe.kinds);
  const m = new ProbeMonitor([probe], e.ctx).start();
  await m.settled();
  return { ...e, m, t0: e.clock.now() };
}

describe("ProbeMonitor.waitHold", () => {
  it("returns when the hold began, once it has lasted holdFor (flaps restart it)", async () => {
    const e = await monitoring();
    const held = e.m.waitHold({ holdForMs: 3000, deadline: e.t0 + 10_000 });
    await e.clock.advance(1000);
    e.kube.put(cm("yes"));
    await e.clock.advance(2000);
    e.kube.put(cm("no")); // broke after 2s of 3s
    await e.clock.advance(500);
    e.kube.put(cm("yes")); // t0+3500
    await e.clock.advance(3000);
    expect(await held).to.equal(e.t0 + 3500);
  });

  it("a hold counts from no earlier than `from` (recovery cannot precede detection)", async () => {
    const e = await monitoring();
    e.kube.put(cm("yes"));
    await until(() => e.m.holdingSince !== undefined, "holding");
    await e.clock.advance(4000);
    expect(e.m.holdingSince).to.equal(e.t0);
    expect(await e.m.waitHold({ holdForMs: 0, deadline: e.t0 + 10_000, from: e.t0 + 2500 })).to.equal(e.t0 + 2500);
  });

  it("gives up at the deadline; a hold starting in time may finish after it", async () => {
    const e = await monitoring();
    const none = e.m.waitHold({ holdForMs: 0, deadline: e.t0 + 5000 });
    await until(() => e.clock.pendingSleeps > 0, "parked");
    await e.clock.advance(5000);
    expect(await none).to.equal(undefined);

    const late = e.m.waitHold({ holdForMs: 2000, deadline: e.t0 + 6000 });
    await e.clock.advance(500);
    e.kube.put(cm("yes")); // t0+5500, within the deadline, confirmed at t0+7500
    await e.clock.advance(2000);
    expect(await late).to.equal(e.t0 + 5500);
    expect(e.clock.pendingSleeps).to.equal(0);
  });
});
