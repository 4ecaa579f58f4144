import { expect } from "chai";
import { ProbeMonitor } from "../../src/engine/monitor.ts";
import { runScenario } from "../../src/engine/runner.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { configMap, event, node } from "../fakes/objects.ts";
import type { FakeKube } from "../fakes/kube.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";
import { backOffSignal, demoSetup, harness, healthy, NS, setHealthy } from "./harness.ts";
import { NS as STEP_NS, stepEnv } from "./step-env.ts";
import { processResult } from "../fakes/process.ts";

const backOff = () =>
  event(
    "e1",
    NS,
    { kind: "Pod", name: "web-0", namespace: NS },
    "BackOff",
    "Back-off restarting failed container web in pod web-0",
  );
const cmRef = { apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: NS };

function demo(o: Parameters<typeof scenario>[1] = {}) {
  return scenario("demo", {
    setup: { steps: [demoSetup()] },
    steadyState: [healthy("yes")],
    fault: [setHealthy("no", "spec.fault[0]")],
    detect: { mode: "all", signals: [backOffSignal()] },
    remediate: { steps: [], external: { description: "on-call" } },
    ...o,
  });
}

describe("recovery and detection count only what happens after the fault", () => {
  it("countFrom() forgets the hold so far: the steady state's OK is not recovery", async () => {
    const e = stepEnv();
    e.kube.put(configMap("app", STEP_NS, { healthy: "yes" }));
    const probe = e.probe("field", { target: { kind: "ConfigMap", name: "app" }, path: "data.healthy", equals: "yes" });
    await e.view.ensure(probe.kinds);
    const m = new ProbeMonitor([probe], e.ctx).start();
    const t0 = e.clock.now();
    await m.settled();
    expect(m.holdingSince).to.equal(t0);
    await e.clock.advance(1000);
    m.countFrom(e.clock.now());
    expect(m.holdingSince).to.equal(undefined);
    expect(m.failedSinceCountFrom).to.equal(false);
    await e.clock.advance(500);
    // the probe is evaluated again at +1500: the hold starts then, not at t0
    expect(await m.waitHold({ holdForMs: 0, deadline: t0 + 5000 })).to.equal(t0 + 1500);
    e.kube.put(configMap("app", STEP_NS, { healthy: "no" }));
    await until(() => m.failedSinceCountFrom, "the failure after countFrom is recorded");
    m.stop();
  });

  it("a polled recover probe's OK from before the fault is not taken as recovery", async () => {
    const the: { kube?: FakeKube } = {};
    const exec: ProcessRunner = async () =>
      processResult({
        exitCode: (the.kube!.object(cmRef)?.data as { healthy?: string } | undefined)?.healthy === "yes" ? 0 : 1,
        output: "",
        timedOut: false,
      });
    const h = harness({ exec });
    the.kube = h.kube;
    const check = spec("command", { run: ["check-app"], interval: "2s" }, "spec.recover.probes[0]");
    const run = runScenario(demo({ recover: { probes: [check], rpo: [], holdForMs: 0 } }), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(500);
    h.kube.put(backOff()); // detected at +500; the command last passed before the fault
    await h.inPhase("recover"); // nothing to run: the external remediation is awaited there
    await h.clock.advance(2500);
    const cm = h.kube.object(cmRef); // (gone if the run already ended)
    if (cm) h.kube.put({ ...cm, data: { healthy: "yes" } }); // fixed at +3000
    await h.clock.advance(1000); // polled at +4000
    const r = await run;
    expect(r.ttdMs).to.equal(500);
    expect(r.rtoMs).to.equal(4000);
    expect(r.status).to.equal("passed");
    expect(r.timeline.some((t) => /never failed/.test(t.what))).to.equal(false);
  });

  it("notes (without failing) when the recover probes never failed after the fault", async () => {
    const h = harness();
    const other = spec(
      "patch",
      { target: { kind: "ConfigMap", name: "app" }, patch: { data: { mode: "broken" } } },
      "spec.fault[0]",
    );
    const run = runScenario(demo({ fault: [other], remediate: { steps: [] } }), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(700);
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("passed");
    expect(r.rtoMs).to.equal(700);
    const note = r.timeline.find((t) => /^recover probes never failed after the fault/.test(t.what));
    expect(note, "timeline note").to.not.equal(undefined);
    expect(note!.phase).to.equal("recover");
  });

  it("a node condition already present before the fault is not detection of it", async () => {
    const h = harness();
    const pressured = (labels: Record<string, string> = {}): KObject =>
      node("n1", {
        labels,
        conditions: [
          {
            type: "DiskPressure",
            status: "True",
            reason: "KubeletHasDiskPressure",
            message: "kubelet has disk pressure",
          },
        ],
      });
    h.kube.put(pressured());
    const condition = spec(
      "condition",
      { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" },
      "spec.detect.signals[0]",
    );
    const run = runScenario(
      demo({
        detect: { mode: "all", signals: [condition] },
        remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
      }),
      h.ctx,
    );
    await h.inPhase("detect");
    await h.clock.advance(100);
    h.kube.put(pressured({ checked: "yes" })); // a Node update after the fault, pressure unchanged
    await h.clock.advance(100);
    h.kube.put(node("n1")); // the pressure goes away (+200) ...
    await h.clock.advance(1300);
    h.kube.put(pressured()); // ... and comes back at +1500
    const r = await run;
    expect(r.ttdMs).to.equal(1500);
    expect(
      r.timeline.some(
        (t) =>
          t.what ===
          "signal condition Node/n1 DiskPressure=True is already present before the fault: it counts only once it has gone and come back",
      ),
    ).to.equal(true);
  });

  it("a signal present before the fault that never goes away fails the detection, saying why", async () => {
    const h = harness();
    h.kube.put(node("n1", { conditions: [{ type: "DiskPressure", status: "True" }] }));
    const condition = spec(
      "condition",
      { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" },
      "spec.detect.signals[0]",
    );
    const run = runScenario(
      demo({
        detect: { mode: "all", signals: [condition] },
        remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
      }),
      h.ctx,
    );
    await h.inPhase("detect");
    await h.clock.advance(100);
    h.kube.put(node("n1", { labels: { touched: "yes" }, conditions: [{ type: "DiskPressure", status: "True" }] }));
    await h.clock.advance(29_900);
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.ttdMs).to.equal(null);
    expect(r.reasons).to.deep.equal([
      "signal condition Node/n1 DiskPressure=True not seen within TTD target 30000ms (watched for 30000ms); it was already present before the fault and never went away, so it says nothing about this fault",
    ]);
  });
});
