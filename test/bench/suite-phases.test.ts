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
    expect(r.restMs).to.equal(100_000 - 20_000 - 12_000 - 47_000);
    expect(r.scenarios.map((s) => [s.name, s.rtoMs])).to.deep.equal([
      ["a", 12_000],
      ["b", null],
    ]);
    expect(suitePhasesTable(r)).to.include("the rest (ours)                   21.0 s  21% of the wall time");
    expect(() => suitePhases({ scenarios: [] } as unknown as RunReport, "kwok", 0)).to.throw(/no timing/);
  });
});
