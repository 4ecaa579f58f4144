import { expect } from "chai";
import { agrees, plan, summarise, type TrialResult } from "../../bench/interrupts/plan.ts";

describe("bench: the interrupt matrix's plan and tally", () => {
  it("every scenario × phase × way, narrowed by lists, refusing unknown names", () => {
    expect(plan(["a", "b"])).to.have.length(2 * 7 * 4);
    expect(plan(["a", "b"], { scenarios: "b", phases: "detect,setup", ways: "SIGINT" })).to.deep.equal([
      { scenario: "b", phase: "setup", way: "SIGINT" },
      { scenario: "b", phase: "detect", way: "SIGINT" },
    ]);
    expect(() => plan(["a"], { phases: "fault" })).to.throw("unknown: fault (known: setup, steady-state");
  });

  it("agreement: the exit status and junit follow the report's status; a killed run writes none", () => {
    const j = (failures: number, errors: number) => ({ tests: 1, failures, errors });
    expect(agrees("SIGINT", 130, "aborted", j(0, 1))).to.equal(true);
    expect(agrees("SIGINT", 130, "passed", j(0, 0))).to.equal(false); // item 17 as it was
    expect(agrees("SIGTERM", 0, "passed", j(0, 0))).to.equal(true);
    expect(agrees("SIGTERM", 1, "aborted", j(0, 1))).to.equal(false);
    expect(agrees("SIGINT", 130, "aborted", j(0, 0))).to.equal(false);
    expect(agrees("npx-SIGTERM", 143, "aborted", j(0, 1))).to.equal(true);
    expect(agrees("SIGKILL+cleanup", null, null, null)).to.equal(true);
    expect(agrees("SIGINT", 1, null, null)).to.equal(false); // a crash without a report
    expect(agrees("SIGINT", 3, "error", j(0, 1))).to.equal(true); // stopped by an internal error
    expect(agrees("SIGINT", 1, "error", j(0, 1))).to.equal(false); // errored is 3, not 1
  });

  it("sums up per way: statuses, median time to clean, leaks", () => {
    const r = (way: TrialResult["way"], status: string | null, cleanMs: number | null, left: string[] = []) =>
      ({
        scenario: "a",
        phase: "setup",
        way,
        reportStatus: status,
        cleanMs,
        leftovers: left,
        agrees: left.length === 0,
      }) as TrialResult;
    const s = summarise([
      r("SIGINT", "aborted", 3000),
      r("SIGINT", "aborted", 1000),
      r("SIGINT", "passed", 5000),
      r("SIGKILL+cleanup", null, null, ["Namespace/kd-a"]),
    ]);
    expect(s).to.deep.equal({
      trials: 4,
      agreeing: 3,
      withLeftovers: 1,
      byWay: {
        SIGINT: { trials: 3, statuses: { aborted: 2, passed: 1 }, medianCleanMs: 3000 },
        "SIGKILL+cleanup": { trials: 1, statuses: { none: 1 }, medianCleanMs: null },
      },
    });
  });
});
