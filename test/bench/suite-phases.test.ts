import { expect } from "chai";
import { suitePhases, suitePhasesTable } from "../../bench/suite-phases.ts";
import type { RunReport } from "../../src/report/types.ts";

describe("bench: the suite's phase breakdown", () => {
  it("splits the wall time into cluster start, Σ RTO, setup and cleanup, and the rest", () => {
    const report = {
      timing: {
        clusterStartMs: 20_000,
        startupMs: 100,
        phasesMs: {
          setup: 30_000,
          "steady-state": 2_000,
          inject: 500,
          detect: 10_000,
          recover: 20_000,
          cleanup: 15_000,
        },
        attemptsMs: 77_500,
        ttdRtoMs: 40_000,
        wallMs: 100_000,
        overheadMs: 60_000,
        maxConcurrent: 1,
      },
      scenarios: [
        { name: "a", ttdMs: 4_000, rtoMs: 12_000, phasesMs: { setup: 10_000 } },
        { name: "b", ttdMs: 6_000, rtoMs: null },
      ],
    } as unknown as RunReport;
    const r = suitePhases(report, "kwok", 1);
    expect(r.rtoSumMs).to.equal(12_000);
    expect(r.setupSumMs).to.equal(47_000);
    // 77.5 s of attempts in 80 s after the cluster start: nothing ran beside another
    expect(r.overlappedMs).to.equal(0);
    expect(r.restMs).to.equal(100_000 - 20_000 - 12_000 - 47_000);
    // cluster 20 + TTD 10 + RTO 12 + setup 30 + steady 2 = 74 s; 10% more is 81.4 s < 100 s
    expect(r.goal).to.deep.equal({ unavoidableMs: 74_000, limitMs: 81_400, met: false });
    expect(r.scenarios.map((s) => [s.name, s.rtoMs])).to.deep.equal([
      ["a", 12_000],
      ["b", null],
    ]);
    expect(suitePhasesTable(r)).to.include("the rest (ours)                       21.0 s  21% of the wall time");
    expect(suitePhasesTable(r)).to.include("goal: wall within 1.1 × unavoidable   81.4 s (not met: wall 100.0 s)");
    // cleanups overlapped with the next attempts: 95 s of attempts in a 70 s wall after the cluster
    const overlapped = suitePhases(
      { ...report, timing: { ...report.timing!, attemptsMs: 95_000, wallMs: 90_000 } } as RunReport,
      "kwok",
      0,
    );
    expect(overlapped.overlappedMs).to.equal(25_000);
    expect(overlapped.restMs).to.equal(90_000 - 20_000 - 12_000 - 47_000 + 25_000);
    expect(overlapped.goal.met).to.equal(false);
    expect(
      suitePhases({ ...report, timing: { ...report.timing!, wallMs: 81_000 } } as RunReport, "kwok", 0).goal.met,
    ).to.equal(true);
    expect(() => suitePhases({ scenarios: [] } as unknown as RunReport, "kwok", 0)).to.throw(/no timing/);
  });
});
