import { expect } from "chai";
import { phaseTimes, runTiming } from "../../src/report/timing.ts";
import type { ScenarioRun } from "../../src/report/types.ts";

const T = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(T + ms).toISOString();

/** An attempt from `start` to `end` (ms after T) with the given TTD/RTO and phases. */
function attempt(start: number, end: number, o: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    name: "s",
    file: "s.yaml",
    attempt: 1,
    status: "passed",
    ttdMs: null,
    rtoMs: null,
    targets: { ttdMs: 1, rtoMs: 1 },
    provider: "fake",
    namespace: "ns",
    startedAt: iso(start),
    finishedAt: iso(end),
    reasons: [],
    timeline: [],
    evidence: [],
    simulated: false,
    cleanup: { ok: true, leftovers: [] },
    phasesMs: { setup: end - start },
    ...o,
  };
}

describe("report/timing", () => {
  it("phaseTimes: each phase lasts until the next is entered, the last until the end; they add up", () => {
    const p = phaseTimes(
      [
        { phase: "setup", at: 100 },
        { phase: "steady-state", at: 400 },
        { phase: "inject", at: 400 },
        { phase: "detect", at: 650 },
        { phase: "cleanup", at: 2650 },
      ],
      3000,
    );
    expect(p).to.deep.equal({ setup: 300, "steady-state": 0, inject: 250, detect: 2000, cleanup: 350 });
    expect(Object.values(p).reduce((a, b) => a + b, 0)).to.equal(3000 - 100);
  });

  it("phaseTimes: a phase entered twice counts both stretches", () => {
    expect(
      phaseTimes(
        [
          { phase: "setup", at: 0 },
          { phase: "cleanup", at: 10 },
          { phase: "setup", at: 30 },
        ],
        100,
      ),
    ).to.deep.equal({ setup: 80, cleanup: 20 });
  });

  it("sums phases over attempts, TTD+RTO, and the overhead against the wall time", () => {
    const runs = [
      attempt(1000, 5000, { ttdMs: 800, rtoMs: 1500, phasesMs: { setup: 1000, detect: 800, cleanup: 2200 } }),
      attempt(5000, 8000, { ttdMs: null, rtoMs: 2000, phasesMs: { setup: 500, detect: 2500 } }),
      attempt(8000, 8000, { phasesMs: undefined }), // never ran: not in the sums
    ];
    const t = runTiming(runs, { wallStart: T - 4000, finishedAt: T + 8100, clusterStartMs: 4000, startupMs: 1000 });
    expect(t).to.deep.equal({
      clusterStartMs: 4000,
      startupMs: 1000,
      phasesMs: { setup: 1500, detect: 3300, cleanup: 2200 },
      attemptsMs: 7000,
      ttdRtoMs: 800 + 1500 + 2000,
      wallMs: 12_100,
      overheadMs: 12_100 - 4300,
      maxConcurrent: 1,
    });
    expect(Object.keys(t.phasesMs), "in phase order").to.deep.equal(["setup", "detect", "cleanup"]);
  });

  it("counts attempts that overlapped, and not those that only touch", () => {
    const serial = [attempt(0, 100), attempt(100, 200), attempt(200, 300)];
    expect(runTiming(serial, { wallStart: T, finishedAt: T + 300, startupMs: 0 }).maxConcurrent).to.equal(1);
    const side = [attempt(0, 100), attempt(10, 300), attempt(50, 60), attempt(100, 200)];
    const t = runTiming(side, { wallStart: T, finishedAt: T + 300, startupMs: 0 });
    expect(t.maxConcurrent).to.equal(3);
    expect(t.attemptsMs).to.be.greaterThan(t.wallMs);
    expect(t).to.not.have.property("clusterStartMs");
  });
});
