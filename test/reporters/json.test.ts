import { expect } from "chai";
import { jsonReporter, renderJson } from "../../src/reporters/json.ts";
import type { RunReport } from "../../src/report/types.ts";
import { repeatRunReport, singleRunReport, timedRepeatReport } from "./fixture.ts";

/** The same data with every object's keys in reverse order. */
function reversed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  ) as T;
}

describe("reporters/json", () => {
  it("writes report.json", () => {
    expect(jsonReporter.fileName).to.equal("report.json");
  });

  for (const [name, make] of [
    ["single", singleRunReport],
    ["repeat", repeatRunReport],
    ["timed", timedRepeatReport],
  ] as const) {
    it(`round-trips the ${name} run report unchanged`, () => {
      const report = make();
      const parsed = JSON.parse(renderJson(report)) as RunReport;
      expect(parsed).to.deep.equal(report);
    });
  }

  it("is pretty-printed with a trailing newline and schemaVersion first", () => {
    const text = renderJson(singleRunReport());
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "kubedrill",')).to.equal(true);
    expect(text.endsWith("}\n")).to.equal(true);
  });

  it("orders keys the same whatever order the runner assigned them in", () => {
    const report = singleRunReport();
    expect(renderJson(reversed(report))).to.equal(renderJson(report));
  });

  it("follows the contract's field order inside scenarios and puts unknown keys last, sorted", () => {
    const report = singleRunReport() as RunReport & { zeta?: number; alpha?: number };
    Object.assign(report, { zeta: 1, alpha: 2 });
    const parsed = Object.keys(JSON.parse(renderJson(reversed(report))) as object);
    expect(parsed.slice(0, 3)).to.deep.equal(["schemaVersion", "tool", "runId"]);
    expect(parsed.slice(-4)).to.deep.equal(["scenarios", "aggregates", "alpha", "zeta"]);
    const run = (JSON.parse(renderJson(reversed(report))) as RunReport).scenarios[0]!;
    expect(Object.keys(run).slice(0, 6)).to.deep.equal(["name", "file", "attempt", "status", "ttdMs", "rtoMs"]);
    expect(Object.keys(run.evidence[0]!)).to.deep.equal(["kind", "signal", "text", "at", "offsetMs", "simulated"]);
  });

  it("puts the time by phase in phase order, timing last", () => {
    const parsed = JSON.parse(renderJson(reversed(timedRepeatReport()))) as RunReport;
    expect(Object.keys(parsed).at(-1)).to.equal("timing");
    expect(Object.keys(parsed.timing!)).to.deep.equal([
      "clusterStartMs",
      "startupMs",
      "phasesMs",
      "attemptsMs",
      "ttdRtoMs",
      "wallMs",
      "overheadMs",
      "maxConcurrent",
    ]);
    const phases = ["setup", "steady-state", "inject", "detect", "remediate", "recover", "verify", "cleanup"];
    expect(Object.keys(parsed.timing!.phasesMs)).to.deep.equal(phases);
    const run = parsed.scenarios[0]!;
    expect(Object.keys(run.phasesMs!)).to.deep.equal(phases);
    expect(Object.keys(run).slice(-2)).to.deep.equal(["cleanup", "phasesMs"]);
  });
});
