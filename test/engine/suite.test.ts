import { expect } from "chai";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { runSuite } from "../../src/engine/suite.ts";
import { ValidationError } from "../../src/errors.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { event } from "../fakes/objects.ts";
import { built, scenario, spec } from "../fakes/scenario.ts";
import { until, settled } from "../fakes/settle.ts";
import { backOffSignal, demoSetup, healthy, recordHooks, setHealthy } from "./harness.ts";

const demo = (name = "demo") =>
  scenario(name, {
    setup: { steps: [demoSetup()] },
    steadyState: [healthy("yes")],
    fault: [setHealthy("no", "spec.fault[0]")],
    detect: { mode: "all", signals: [backOffSignal()] },
    remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
  });

function setup() {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  let n = 0;
  return { clock, kube, log, newId: () => `a${n++}`, ...recordHooks() };
}

describe("runSuite", () => {
  it("--repeat runs each scenario N times and aggregates TTD/RTO (median, p95, max)", async () => {
    const t = setup();
    const ttds = [1200, 800, 3000];
    const done = runSuite(built(demo()), {
      kube: t.kube,
      hooks: t.hooks,
      clock: t.clock,
      log: t.log,
      runId: "r1",
      newId: t.newId,
      repeat: 3,
      provider: "fake",
      cleanupTimeoutMs: 1000,
    });
    for (const [i, ttd] of ttds.entries()) {
      const attempt = i + 1;
      await t.inPhase("detect", attempt);
      await t.clock.advance(ttd);
      const ns = `kd-demo-a${i}`;
      t.kube.put(
        event(
          `e${i}`,
          ns,
          { kind: "Pod", name: "web-0", namespace: ns },
          "BackOff",
          "Back-off restarting failed container",
        ),
      );
    }
    const report = await done;
    expect(report.scenarios.map((r) => [r.attempt, r.status, r.ttdMs, r.rtoMs])).to.deep.equal([
      [1, "passed", 1200, 1200],
      [2, "passed", 800, 800],
      [3, "passed", 3000, 3000],
    ]);
    expect(report.aggregates).to.deep.equal([
      {
        name: "demo",
        runs: 3,
        passed: 3,
        status: "passed",
        ttd: { count: 3, median: 1200, p95: 3000, max: 3000 },
        rto: { count: 3, median: 1200, p95: 3000, max: 3000 },
        targets: { ttdMs: 30_000, rtoMs: 60_000 },
      },
    ]);
    expect(report).to.include({ schemaVersion: 1, runId: "r1", provider: "fake", status: "passed" });
    expect(report.options).to.deep.equal({ repeat: 3, parallel: 1, remediate: true, dryRun: false });
    expect(report.cluster.serverVersion).to.equal("v1.34.0");
    // the heartbeat Lease was written first and removed at the end
    expect(t.kube.callsOf("apply")[0]!.args[0]).to.nested.include({
      kind: "Lease",
      "metadata.name": "kubedrill-run-r1",
    });
    expect(t.kube.objects("Lease")).to.have.length(0);
  });

  it("--parallel runs scenarios side by side, never more than N at once", async () => {
    const t = setup();
    const names = ["one", "two", "three"];
    const done = runSuite(
      built(...names.map((n) => scenario(n, { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] }))),
      {
        kube: t.kube,
        hooks: t.hooks,
        clock: t.clock,
        log: t.log,
        runId: "r2",
        newId: t.newId,
        parallel: 2,
        heartbeat: false,
        sweep: false,
        cleanupTimeoutMs: 1000,
      },
    );
    const report = await done;
    expect(report.scenarios.map((r) => r.name).sort()).to.deep.equal(["one", "three", "two"]);
    // "one" and "two" start before either finishes; "three" waits for a free slot
    const order = t.phases.filter((p) => p.phase === "setup" || p.phase === "cleanup");
    expect(order.slice(0, 2).map((p) => [p.phase, p.who.scenario])).to.deep.equal([
      ["setup", "one"],
      ["setup", "two"],
    ]);
    let running = 0;
    let most = 0;
    for (const p of order) {
      running += p.phase === "setup" ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).to.equal(2);
  });

  it("starts the next attempt while the last one's namespace terminates; one that changes nodes runs last, after every namespace has gone", async () => {
    const t = setup();
    t.kube.namespaceDeletion = "stuck";
    const plain = (n: string) => scenario(n, { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] });
    const alone = scenario("alone", {
      requires: { touches: { kinds: ["Node"], namespaces: [] } },
      setup: { steps: [demoSetup()] },
      steadyState: [healthy("yes")],
    });
    // the files' order puts "alone" first; it runs after the others, and the report keeps that order
    const done = runSuite(built(alone, plain("one"), plain("two")), {
      kube: t.kube,
      hooks: t.hooks,
      clock: t.clock,
      log: t.log,
      runId: "r3",
      newId: t.newId,
      heartbeat: false,
      sweep: false,
      cleanupTimeoutMs: 60_000,
    });
    const entered = (phase: string, name: string) => t.phases.some((p) => p.phase === phase && p.who.scenario === name);
    const terminating = (ns: string) =>
      t.kube.get({ apiVersion: "v1", kind: "Namespace", name: ns }).then((o) => o?.metadata.deletionTimestamp);
    const finish = (ns: string) => t.kube.remove({ apiVersion: "v1", kind: "Namespace", name: ns });
    // "two" sets up while "one"'s namespace is still terminating
    await until(() => entered("setup", "two"), "two in setup");
    expect(await terminating("kd-one-a0")).to.be.a("string");
    finish("kd-one-a0");
    // "alone" changes nodes: it waits until "two"'s namespace is gone too
    await until(() => entered("cleanup", "two"), "two in cleanup");
    await settled();
    expect(entered("setup", "alone"), "alone started beside a terminating namespace").to.equal(false);
    finish("kd-two-a1");
    await until(() => entered("setup", "alone"), "alone in setup");
    await until(() => entered("cleanup", "alone"), "alone in cleanup");
    finish("kd-alone-a2");
    const report = await done;
    expect(report.scenarios.map((r) => [r.name, r.status, r.cleanup.ok])).to.deep.equal([
      ["alone", "passed", true],
      ["one", "passed", true],
      ["two", "passed", true],
    ]);
  });

  it("--dry-run prints every phase and step and touches nothing", async () => {
    const t = setup();
    const out: string[] = [];
    const s = demo();
    s.spec.setup.waitFor.push(spec("podsReady", { selector: "app=web" }, "spec.setup.waitFor[0]"));
    const report = await runSuite(built(s), {
      kube: t.kube,
      hooks: t.hooks,
      clock: t.clock,
      log: t.log,
      runId: "r3",
      dryRun: true,
      out: (x) => out.push(x),
      remediate: false,
    });
    expect(t.kube.calls).to.deep.equal([]);
    expect(t.clock.pendingSleeps).to.equal(0);
    const plan = out.join("");
    for (const line of [
      "scenario demo (/scenarios/demo.yaml)",
      "  targets: TTD 30000ms, RTO 60000ms",
      "    1. apply 2 object(s) from 2 inline object(s): ConfigMap/app, Pod/web-0",
      "    - all pods app=web Ready in kd-demo-",
      "  steady-state: must hold before the fault:",
      "  inject: (fault start = TTD/RTO zero)",
      "    1. patch ConfigMap/app in kd-demo-",
      "  detect (all, within 30000ms):",
      "    - event BackOff on Pod {app=web} /Back-off/",
      "    skipped (--no-remediate)",
      "  recover (within 60000ms):",
      "  cleanup: revert every step newest first",
    ])
      expect(plan).to.include(line);
    expect(report.scenarios).to.deep.equal([]);
    expect(report.options.dryRun).to.equal(true);
  });

  it("takes scenarios built by the pipeline, which reports every scenario's problems at once", async () => {
    const t = setup();
    const bad1 = scenario("bad1", { fault: [spec("explode", {}, "spec.fault[0]")] });
    const bad2 = scenario("bad2", { steadyState: [spec("podsReady", {}, "spec.steadyState[0]")] });
    try {
      await runSuite(built(bad1, bad2), { kube: t.kube, clock: t.clock, log: t.log, runId: "r4" });
      expect.fail("should have thrown");
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      const e = err as ValidationError;
      expect(e.problems.map((p) => p.field)).to.deep.equal(["spec.fault[0]", "spec.steadyState[0].selector"]);
      const known = defaultRegistries().steps.types().join(", ");
      expect(e.message).to.include(`unknown step type "explode" (known: ${known})`);
      expect(known).to.match(/^\w+(, \w+){10,}$/);
    }
    expect(t.kube.calls).to.deep.equal([]);
  });

  it("does not start new attempts after an abort, and reports them aborted as not started", async () => {
    const t = setup();
    const ac = new AbortController();
    const done = runSuite(built(demo("a"), demo("b")), {
      kube: t.kube,
      hooks: t.hooks,
      clock: t.clock,
      log: t.log,
      runId: "r5",
      newId: t.newId,
      signal: ac.signal,
      heartbeat: false,
      sweep: false,
      cleanupTimeoutMs: 1000,
    });
    await t.inPhase("detect");
    ac.abort();
    const report = await done;
    expect(report.status).to.equal("aborted");
    expect(report.scenarios.map((r) => [r.name, r.status, r.reasons[0]])).to.deep.equal([
      ["a", "aborted", "aborted during detect"],
      ["b", "aborted", "not started: aborted"],
    ]);
    expect(report.scenarios[1]!.cleanup).to.deep.equal({ ok: true, leftovers: [] });
    expect(t.kube.callsOf("create").filter((c) => (c.args[0] as { kind: string }).kind === "Namespace")).to.have.length(
      1,
    );
  });

  it("an error outside any attempt (the start-up sweep) still gives a report: every attempt an error, not started", async () => {
    const t = setup();
    t.kube.failNext("list", new Error("connection refused"));
    const report = await runSuite(built(demo("a"), demo("b")), {
      kube: t.kube,
      clock: t.clock,
      log: t.log,
      runId: "r6",
      newId: t.newId,
      heartbeat: false,
    });
    expect(report.status).to.equal("error");
    expect(report.scenarios.map((r) => [r.name, r.status])).to.deep.equal([
      ["a", "error"],
      ["b", "error"],
    ]);
    expect(report.scenarios[0]!.reasons[0]).to.match(/^not started: .*connection refused/);
    expect(t.kube.callsOf("create")).to.have.length(0);
  });
});
