import { expect } from "chai";
import { eachLimited } from "../../src/engine/pool.ts";
import { runSuite } from "../../src/engine/suite.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { built, scenario } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";
import { demoSetup, healthy } from "./harness.ts";

describe("eachLimited and runSuite: one failing attempt does not abandon the others", () => {
  it("lets every worker finish before it rejects with the failure", async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const done = eachLimited(["bad", "slow", "next"], 2, async (item) => {
      log.push(`start ${item}`);
      if (item === "bad") throw new Error("bad failed");
      await clock.sleep(30);
      log.push(`end ${item}`);
    });
    let settled = false;
    done.then(
      () => (settled = true),
      () => (settled = true),
    );
    await until(() => clock.pendingSleeps === 2, "slow and next both working");
    await clock.advance(29);
    expect(settled, "settled while a worker was still running").to.equal(false);
    await clock.advance(1);
    const err = (await done.catch((e: Error) => e)) as Error;
    expect(err.message).to.equal("bad failed");
    // the failed worker went on with the next item; the slow one finished
    expect(log).to.include.members(["start bad", "start slow", "start next", "end slow", "end next"]);
  });

  it("aggregates several failures, naming each", async () => {
    const err = (await eachLimited([1, 2, 3], 3, async (n) => {
      if (n !== 2) throw new Error(`item ${n} failed`);
    }).catch((e: Error) => e)) as AggregateError;
    expect(err).to.be.instanceOf(AggregateError);
    expect(err.message).to.equal("2 of 3 items failed: item 1 failed; item 3 failed");
    expect(err.errors).to.have.length(2);
  });

  it("runSuite reports an attempt that throws as an error run and completes the others", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const log = memoryLogger();
    let n = 0;
    const newId = () => {
      if (n++ === 1) throw new Error("no entropy left");
      return `a${n}`;
    };
    const ok = (name: string) => scenario(name, { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] });
    const report = await runSuite(built(ok("one"), ok("two"), ok("three")), {
      kube,
      clock,
      log,
      runId: "r9",
      newId,
      parallel: 2,
      heartbeat: false,
      sweep: false,
      cleanupTimeoutMs: 1000,
      provider: "fake",
    });
    const byName = Object.fromEntries(report.scenarios.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).to.deep.equal(["one", "three", "two"]);
    expect(byName.one!.status).to.equal("passed");
    expect(byName.three!.status).to.equal("passed");
    expect(byName.two).to.deep.include({
      status: "error",
      reasons: ["no entropy left"],
      ttdMs: null,
      rtoMs: null,
      provider: "fake",
      attempt: 1,
    });
    expect(byName.two!.cleanup).to.deep.equal({ ok: false, leftovers: [] });
    expect(report.status).to.equal("error");
    expect(kube.objects("Namespace")).to.deep.equal([]);
  });
});
