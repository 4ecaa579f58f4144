import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { runSuite } from "../../src/engine/suite.ts";
import { exitCodeForReport } from "../../src/cli/exit.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { event } from "../fakes/objects.ts";
import { built, scenario, spec } from "../fakes/scenario.ts";
import { settled } from "../fakes/settle.ts";
import { backOffSignal, demoSetup, harness, healthy } from "./harness.ts";

/** The generated namespace of scenario "guarded" under the harness. */
const GNS = "kd-guarded-abcde";

/** A ConfigMap outside the drill's namespace: the guard watches shop/guard, the fault changes shop/app. */
const shopMap = (name: string, data: Record<string, string>): KObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "shop" },
  data,
});

const guard = () =>
  spec(
    "field",
    { target: { kind: "ConfigMap", name: "guard", namespace: "shop" }, path: "data.ok", equals: "yes" },
    "spec.abortWhen[0].field",
  );

const breakShop = () =>
  spec(
    "patch",
    { target: { kind: "ConfigMap", name: "app", namespace: "shop" }, patch: { data: { healthy: "no" } } },
    "spec.fault[0]",
  );

function guarded(name = "guarded") {
  return scenario(name, {
    setup: { steps: [demoSetup()] },
    steadyState: [healthy("yes")],
    abortWhen: [guard()],
    fault: [breakShop()],
    detect: { mode: "all", signals: [backOffSignal()] },
  });
}

function withShop(h: ReturnType<typeof harness>) {
  h.kube.put(shopMap("guard", { ok: "yes" }));
  h.kube.put(shopMap("app", { healthy: "yes" }));
}

describe("abort guards (spec.abortWhen)", () => {
  it("a guard failing during detection aborts the attempt, reverts the fault and names the guard and its evidence", async () => {
    const h = harness();
    withShop(h);
    const run = runScenario(guarded(), h.ctx);
    await h.inPhase("detect");
    expect(h.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: "shop" })!.data).to.deep.equal({
      healthy: "no",
    });
    await h.clock.advance(700);
    h.kube.put(shopMap("guard", { ok: "no" }));
    const r = await run;
    expect(r.status).to.equal("aborted");
    expect(r.reasons[0]).to.match(
      /^abort guard spec\.abortWhen\[0\]\.field \(.*ConfigMap.*guard.*\) failed during detect: /,
    );
    expect(r.abortedBy).to.include({ scenario: "guarded", field: "spec.abortWhen[0].field", offsetMs: 700 });
    expect(r.abortedBy!.evidence).to.equal("ConfigMap/shop/guard data.ok = no");
    expect(r.abortedBy!.guard).to.match(/ConfigMap/);
    // the normal cleanup path ran: the fault outside the namespace is reverted, the namespace gone
    expect(h.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: "shop" })!.data).to.deep.equal({
      healthy: "yes",
    });
    expect(h.kube.object({ apiVersion: "v1", kind: "Namespace", name: GNS })).to.equal(undefined);
    expect(h.kube.callsOf("delete").some((c) => JSON.stringify(c.args[0]).includes(GNS))).to.equal(true);
    expect(r.cleanup.ok).to.equal(true);
    expect(h.phases.map((p) => p.phase)).to.not.include("remediate");
    expect(r.timeline.some((t) => t.phase === "detect" && /abort guard .* failed/.test(t.what))).to.equal(true);
  });

  it("a guard that fails before the fault keeps the fault from being injected", async () => {
    const h = harness();
    withShop(h);
    h.kube.put(shopMap("guard", { ok: "no" }));
    const r = await runScenario(guarded(), h.ctx);
    expect(r.status).to.equal("aborted");
    expect(r.abortedBy?.field).to.equal("spec.abortWhen[0].field");
    expect(h.phases.map((p) => p.phase)).to.not.include("inject");
    expect(h.kube.callsOf("patch").filter((c) => JSON.stringify(c.args[0]).includes('"shop"'))).to.deep.equal([]);
  });

  it("guards that hold throughout change nothing: the attempt passes", async () => {
    const h = harness();
    withShop(h);
    const s = guarded();
    s.spec.remediate.steps = [
      spec(
        "patch",
        { target: { kind: "ConfigMap", name: "app", namespace: "shop" }, patch: { data: { healthy: "yes" } } },
        "spec.remediate.steps[0]",
      ),
    ];
    const run = runScenario(s, h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(300);
    h.kube.put(
      event(
        "e1",
        GNS,
        { kind: "Pod", name: "web-0", namespace: GNS },
        "BackOff",
        "Back-off restarting failed container",
      ),
    );
    const r = await run;
    expect(r.reasons).to.deep.equal([]);
    expect(r.status).to.equal("passed");
    expect(r.abortedBy).to.equal(undefined);
  });

  it("after a guard tripped no further attempt starts; the run exits 5, or 130 if it was also interrupted", async () => {
    const h = harness();
    withShop(h);
    const other = scenario("other", { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] });
    const suite = runSuite(built(guarded(), other), { ...h.ctx, sweep: false, heartbeat: false });
    await h.inPhase("detect");
    h.kube.put(shopMap("guard", { ok: "no" }));
    const report = await suite;
    expect(report.status).to.equal("aborted");
    expect(report.scenarios.map((r) => [r.name, r.status])).to.deep.equal([
      ["guarded", "aborted"],
      ["other", "aborted"],
    ]);
    const notStarted = report.scenarios[1]!;
    expect(notStarted.reasons[0]).to.match(
      /^not started: abort guard spec\.abortWhen\[0\]\.field of scenario guarded tripped/,
    );
    expect(notStarted.abortedBy).to.deep.equal(report.scenarios[0]!.abortedBy);
    expect(h.phases.filter((p) => p.who.scenario === "other")).to.deep.equal([]);
    expect(exitCodeForReport(report)).to.equal(5);
    // one attempt interrupted by a signal makes it an interrupt
    const interrupted = { ...notStarted, abortedBy: undefined, reasons: ["not started: interrupted by SIGINT"] };
    expect(exitCodeForReport({ ...report, scenarios: [report.scenarios[0]!, interrupted] })).to.equal(130);
    await settled();
  });
});
