import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { notRunReport } from "../../src/engine/not-run.ts";
import { runSuite } from "../../src/engine/suite.ts";
import { PHASES } from "../../src/report/types.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import { event } from "../fakes/objects.ts";
import { processResult } from "../fakes/process.ts";
import { until } from "../fakes/settle.ts";
import { built, scenario, spec } from "../fakes/scenario.ts";
import { backOffSignal, demoSetup, harness, healthy, NS, setHealthy } from "./harness.ts";

/** How long each fake command takes, on the fake clock. */
const TAKES: Record<string, number> = { "prepare-app": 400, "break-app": 300, "fix-app": 200 };

const cmd = (name: string, field: string) => spec("command", { run: [name] }, field);

function demo(name = "demo", rpo: ReturnType<typeof spec>[] = []) {
  return scenario(name, {
    recover: { rpo },
    setup: { steps: [demoSetup(), cmd("prepare-app", "spec.setup.steps[1]")] },
    steadyState: [healthy("yes")],
    fault: [setHealthy("no", "spec.fault[0]"), cmd("break-app", "spec.fault[1]")],
    detect: { mode: "all", signals: [backOffSignal()] },
    remediate: { steps: [cmd("fix-app", "spec.remediate.steps[0]"), setHealthy("yes", "spec.remediate.steps[1]")] },
  });
}

const backOff = (ns: string) =>
  event("e1", ns, { kind: "Pod", name: "web-0", namespace: ns }, "BackOff", "Back-off restarting failed container");

const wall = (r: { startedAt: string; finishedAt: string }) => Date.parse(r.finishedAt) - Date.parse(r.startedAt);

describe("time by phase", () => {
  it("an attempt's phases say where its wall time went, and add up to it", async () => {
    const h = harness();
    // A command that takes its time: the fake clock moves while it runs.
    const exec: ProcessRunner = async (argv) => {
      await h.clock.advance(TAKES[argv[0]!] ?? 0);
      return processResult({ output: "ok", stdout: "ok" });
    };
    const run = runScenario(demo(), { ...h.ctx, exec });
    await h.inPhase("detect");
    await h.clock.advance(1500);
    h.kube.put(backOff(NS));
    const r = await run;
    expect(r.status).to.equal("passed");
    expect(r.ttdMs).to.equal(300 + 1500);
    expect(r.phasesMs).to.deep.equal({
      setup: 400,
      "steady-state": 0,
      inject: 300,
      detect: 1500,
      remediate: 200,
      recover: 0,
      verify: 0,
      cleanup: 0,
    });
    expect(Object.keys(r.phasesMs!)).to.deep.equal([...PHASES]);
    const sum = Object.values(r.phasesMs!).reduce((a, b) => a + b, 0);
    expect(sum).to.equal(wall(r));
    // the timeline's phase entries agree with the breakdown
    const entered = (p: string) => Date.parse(r.timeline.find((t) => t.phase === p)!.at);
    expect(entered("remediate") - entered("detect")).to.equal(r.phasesMs!.detect);
  });

  it("an attempt that fails in setup has only setup and cleanup, still adding up", async () => {
    const h = harness();
    const exec: ProcessRunner = async () => {
      await h.clock.advance(250);
      return processResult({ exitCode: 1, output: "no", stdout: "no" });
    };
    const r = await runScenario(demo(), { ...h.ctx, exec });
    expect(r.status).to.equal("error");
    expect(r.phasesMs).to.deep.equal({ setup: 250, cleanup: 0 });
    expect(wall(r)).to.equal(250);
  });

  it("the RPO checks run side by side: verify takes the longest one, not their sum", async () => {
    const h = harness();
    const exec: ProcessRunner = async (argv) => {
      if (argv[0]!.startsWith("check-")) await h.clock.sleep(500);
      return processResult({ output: "ok", stdout: "ok" });
    };
    const rpo = ["check-orders", "check-payments"].map((c, i) =>
      spec("command", { run: [c] }, `spec.recover.rpo[${i}]`),
    );
    let r: Awaited<ReturnType<typeof runScenario>> | undefined;
    void runScenario(demo("demo", rpo), { ...h.ctx, exec }).then((x) => (r = x));
    await h.inPhase("detect");
    h.kube.put(backOff(NS));
    await h.inPhase("verify");
    await h.clock.advance(500);
    await until(() => r !== undefined, "the attempt finished");
    expect(r!.evidence.filter((e) => e.kind === "rpo").map((e) => e.ok)).to.deep.equal([true, true]);
    expect(r!.phasesMs!.verify).to.equal(500);
  });

  it("the run reports cluster start, start-up, the phases summed, TTD+RTO and the overhead", async () => {
    const h = harness();
    const clusterAt = h.clock.now();
    await h.clock.advance(7000); // the provider starting the cluster
    const t0 = h.clock.now();
    let n = 0;
    const done = runSuite(built(demo("a"), demo("b")), {
      ...h.ctx,
      newId: () => `x${n++}`,
      runId: "r1",
      clusterStart: { at: clusterAt, ms: t0 - clusterAt },
    });
    for (const [i, [name, ttd]] of (
      [
        ["a", 1000],
        ["b", 2500],
      ] as const
    ).entries()) {
      const detecting = () => h.phases.some((p) => p.phase === "detect" && p.who.scenario === name);
      await until(detecting, `${name} detecting`);
      await h.clock.advance(ttd);
      h.kube.put(backOff(`kd-${name}-x${i}`));
    }
    const report = await done;
    expect(report.scenarios.map((r) => [r.name, r.status, r.ttdMs, r.rtoMs])).to.deep.equal([
      ["a", "passed", 1000, 1000],
      ["b", "passed", 2500, 2500],
    ]);
    const t = report.timing!;
    expect(t.clusterStartMs).to.equal(7000);
    expect(t.startupMs).to.equal(Date.parse(report.scenarios[0]!.startedAt) - t0);
    expect(t.phasesMs.detect).to.equal(3500);
    expect(t.phasesMs.setup).to.equal(0); // the fake cluster answers at once
    expect(t.attemptsMs).to.equal(report.scenarios.map(wall).reduce((a, b) => a + b, 0));
    expect(Object.values(t.phasesMs).reduce((a, b) => a + b, 0)).to.equal(t.attemptsMs);
    expect(t.ttdRtoMs).to.equal(2 * (1000 + 2500));
    expect(t.wallMs).to.equal(Date.parse(report.finishedAt) - clusterAt);
    expect(t.wallMs).to.equal(7000 + 3500);
    expect(t.overheadMs).to.equal(t.wallMs - t.ttdRtoMs);
    expect(t.maxConcurrent).to.equal(1);
  });

  it("a dry run has no timing; a run without a cluster start has no clusterStartMs", async () => {
    const h = harness();
    const dry = await runSuite(built(demo()), { ...h.ctx, dryRun: true, out: () => undefined });
    expect(dry).to.not.have.property("timing");
    const done = runSuite(built(demo()), { ...h.ctx, sweep: false, heartbeat: false });
    await h.inPhase("detect");
    await h.clock.advance(600);
    h.kube.put(backOff(NS));
    const report = await done;
    expect(report.timing).to.not.have.property("clusterStartMs");
    expect(report.timing!.startupMs).to.equal(0);
    expect(report.timing!.wallMs).to.equal(600);
  });
});

describe("time by phase without a cluster", () => {
  it("a run that got no cluster reports how long trying took, and no attempt", async () => {
    const h = harness();
    const startedAt = h.clock.now();
    await h.clock.advance(4200); // the provider tried, and failed
    const report = notRunReport(built(demo()), new Error("no provider works here"), {
      clock: h.clock,
      runId: "r1",
      startedAt,
      provider: "auto",
      clusterName: "kubedrill",
      repeat: 1,
      parallel: 1,
      remediate: true,
      unavailable: "no provider works here",
    });
    expect(report.scenarios[0]).to.not.have.property("phasesMs");
    expect(report.timing).to.deep.equal({
      clusterStartMs: 4200,
      startupMs: 0,
      phasesMs: {},
      attemptsMs: 0,
      ttdRtoMs: 0,
      wallMs: 4200,
      overheadMs: 4200,
      maxConcurrent: 0,
    });
  });
});
