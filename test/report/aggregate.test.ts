import { expect } from "chai";
import { aggregate } from "../../src/report/aggregate.ts";
import { runReport } from "../../src/report/run-report.ts";
import { statusCounts, worst } from "../../src/report/status.ts";
import { diskFull, quota, repeatRunReport } from "../reporters/fixture.ts";

const T = Date.parse("2025-11-28T10:00:00.000Z");

describe("report/aggregate", () => {
  it("one aggregate per scenario in order of first attempt, worst status winning", () => {
    const [q, d] = aggregate(repeatRunReport().scenarios);
    expect(q).to.deep.equal({
      name: "quota-exhaustion",
      runs: 3,
      passed: 3,
      status: "passed",
      ttd: { count: 3, median: 8420, p95: 9130, max: 9130 },
      rto: { count: 3, median: 46210, p95: 51870, max: 51870 },
      targets: { ttdMs: 30000, rtoMs: 120000 },
    });
    expect(d).to.deep.include({ name: "disk-full", runs: 3, passed: 2, status: "failed" });
    expect(d!.rto).to.deep.equal({ count: 3, median: 71400, p95: 131000, max: 131000 });
  });

  it("follows the keys' order and targets, and leaves out keys without attempts", () => {
    const runs = [diskFull(T + 1000), quota(T)];
    const keys = [
      { name: "quota-exhaustion", file: "scenarios/quota-exhaustion.yaml", targets: { ttdMs: 1, rtoMs: 2 } },
      { name: "never-ran", file: "scenarios/never-ran.yaml", targets: { ttdMs: 1, rtoMs: 2 } },
      { name: "disk-full", file: "scenarios/disk-full.yaml", targets: { ttdMs: 3, rtoMs: 4 } },
    ];
    const aggs = aggregate(runs, keys);
    expect(aggs.map((a) => [a.name, a.targets])).to.deep.equal([
      ["quota-exhaustion", { ttdMs: 1, rtoMs: 2 }],
      ["disk-full", { ttdMs: 3, rtoMs: 4 }],
    ]);
  });

  it("worst status: aborted > error > failed > passed > skipped; counts every status", () => {
    expect(worst([])).to.equal("passed");
    expect(worst(["skipped", "skipped"])).to.equal("skipped", "only when every attempt was skipped");
    expect(worst(["skipped", "passed"])).to.equal("passed");
    expect(worst(["failed", "skipped"])).to.equal("failed");
    expect(worst(["passed", "failed", "passed"])).to.equal("failed");
    expect(worst(["error", "failed"])).to.equal("error");
    expect(worst(["aborted", "error"])).to.equal("aborted");
    expect(statusCounts([{ status: "failed" }, { status: "failed" }])).to.deep.equal({
      passed: 0,
      failed: 2,
      error: 0,
      aborted: 0,
      skipped: 0,
    });
  });

  it("the run report computes its status and aggregates when assembled", () => {
    const fixture = repeatRunReport();
    const parts = {
      tool: fixture.tool,
      runId: fixture.runId,
      provider: fixture.provider,
      cluster: fixture.cluster,
      startedAt: fixture.startedAt,
      finishedAt: fixture.finishedAt,
      options: fixture.options,
      scenarios: fixture.scenarios,
    };
    const keys = [
      { name: "disk-full", file: "scenarios/disk-full.yaml", targets: { ttdMs: 20000, rtoMs: 120000 } },
      { name: "quota-exhaustion", file: "scenarios/quota-exhaustion.yaml", targets: { ttdMs: 30000, rtoMs: 120000 } },
    ];
    const report = runReport(parts, { aborted: false, keys });
    expect(report).to.include({ schemaVersion: 1, status: "failed" });
    expect(report.aggregates).to.deep.equal(aggregate(fixture.scenarios, keys));
    expect(report.aggregates.map((a) => a.name)).to.deep.equal(["disk-full", "quota-exhaustion"]);
    expect(runReport(parts, { aborted: true, keys }).status).to.equal("aborted");
  });
});
