import { expect } from "chai";
import { renderOpenMetrics, renderPrometheusText } from "../../src/reporters/openmetrics.ts";
import type { RunReport } from "../../src/report/types.ts";
import { repeatRunReport, singleRunReport, skippedRunReport } from "../reporters/fixture.ts";

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(,|$)/y;

/**
 * Checks text against the OpenMetrics 1.0 text grammar as far as these metrics use it:
 * TYPE first, then UNIT (a suffix of the name) and HELP, once per family, before its
 * samples; samples named after their family (`_info` for info); well-formed and unique
 * label sets; numeric values; `# EOF` as the last line, ending in a line feed.
 * Returns the samples by name.
 */
function parseOpenMetrics(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  expect(text.endsWith("# EOF\n"), "ends with # EOF and a line feed").to.equal(true);
  const lines = text.slice(0, -1).split("\n");
  expect(lines.filter((l) => l === "# EOF")).to.have.length(1);
  const families = new Map<string, { type: string; samples: number }>();
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  let current: { name: string; type: string; meta: string[] } | undefined;
  const seen = new Set<string>();
  for (const line of lines.slice(0, -1)) {
    const meta = /^# (TYPE|UNIT|HELP) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      expect(name).to.match(NAME);
      if (kind === "TYPE") {
        expect(families.has(name!), `one TYPE for ${name}`).to.equal(false);
        expect(["gauge", "counter", "info", "stateset", "unknown", "histogram", "summary"]).to.include(rest);
        families.set(name!, { type: rest!, samples: 0 });
        current = { name: name!, type: rest!, meta: ["TYPE"] };
      } else {
        expect(current?.name, `${kind} of ${name} follows its TYPE`).to.equal(name);
        expect(families.get(name!)!.samples, `${kind} of ${name} before its samples`).to.equal(0);
        expect(current!.meta, `one ${kind} for ${name}`).to.not.include(kind);
        current!.meta.push(kind!);
        if (kind === "UNIT") expect(name!.endsWith(`_${rest}`), `${name} ends with its unit`).to.equal(true);
      }
      continue;
    }
    expect(line.startsWith("#"), `no other comment: ${line}`).to.equal(false);
    const m = SAMPLE.exec(line);
    expect(m, `a sample: ${line}`).to.not.equal(null);
    const [, name, , body = "", value] = m!;
    expect(current, `sample ${name} after a TYPE`).to.not.equal(undefined);
    expect(name).to.equal(current!.type === "info" ? `${current!.name}_info` : current!.name);
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const l = LABEL.exec(body);
      expect(l, `labels of ${line}`).to.not.equal(null);
      expect(labels[l![1]!], `label ${l![1]} once`).to.equal(undefined);
      labels[l![1]!] = l![2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    expect(seen.has(key), `unique sample ${key}`).to.equal(false);
    seen.add(key);
    expect(value).to.match(/^(-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/);
    families.get(current!.name)!.samples++;
    out.set(name!, [...(out.get(name!) ?? []), { labels, value: Number(value) }]);
  }
  return out;
}

describe("metrics (--metrics-file, --pushgateway)", () => {
  it("writes valid OpenMetrics: TTD and RTO per attempt in seconds, targets, verdicts, aggregates", () => {
    const report = repeatRunReport();
    const m = parseOpenMetrics(renderOpenMetrics(report));
    const ttd = m.get("kubedrill_attempt_ttd_seconds")!;
    expect(ttd.map((s) => [s.labels.scenario, s.labels.attempt, s.value])).to.deep.equal(
      report.scenarios.map((r) => [r.name, String(r.attempt), r.ttdMs! / 1000]),
    );
    expect(
      m
        .get("kubedrill_attempt_rto_seconds")!
        .find((s) => s.labels.attempt === "3" && s.labels.scenario === "disk-full")!.value,
    ).to.equal(131);
    const status = m.get("kubedrill_attempt_status")!.filter((s) => s.value === 1);
    expect(status.map((s) => [s.labels.scenario, s.labels.attempt, s.labels.status])).to.deep.equal(
      report.scenarios.map((r) => [r.name, String(r.attempt), r.status]),
    );
    expect(m.get("kubedrill_attempt_status")).to.have.length(report.scenarios.length * 5);
    expect(
      m.get("kubedrill_scenario_rto_seconds")!.filter((s) => s.labels.scenario === "quota-exhaustion"),
    ).to.deep.equal([
      { labels: { scenario: "quota-exhaustion", stat: "median" }, value: 46.21 },
      { labels: { scenario: "quota-exhaustion", stat: "p95" }, value: 51.87 },
      { labels: { scenario: "quota-exhaustion", stat: "max" }, value: 51.87 },
    ]);
    expect(m.get("kubedrill_scenario_rto_target_seconds")!.map((s) => s.value)).to.deep.equal([120, 120]);
    expect(m.get("kubedrill_scenario_passed_attempts")!.map((s) => [s.labels.scenario, s.value])).to.deep.equal([
      ["quota-exhaustion", 3],
      ["disk-full", 2],
    ]);
    expect(m.get("kubedrill_run_info")![0]!.labels).to.deep.equal({
      run_id: "20251128-100240-c19e04",
      version: "0.1.0",
      provider: "kind",
      cluster: "kind-kubedrill",
    });
    expect(m.get("kubedrill_run_status")!.find((s) => s.value === 1)!.labels.status).to.equal("failed");
    expect(m.get("kubedrill_run_finished_seconds")![0]!.value).to.equal(Date.parse(report.finishedAt) / 1000);
  });

  it("leaves out what was never measured, and gives RPO probes and abort guards their own samples", () => {
    const report: RunReport = singleRunReport();
    const run = report.scenarios[0]!;
    run.evidence.push(
      { kind: "rpo", signal: 'orders "42" kept\\ok', text: "found", ok: true, at: run.finishedAt, simulated: false },
      { kind: "rpo", signal: "ledger row", text: "missing", ok: false, at: run.finishedAt, simulated: false },
    );
    run.abortedBy = {
      scenario: run.name,
      field: "spec.abortWhen[0].podsReady",
      guard: "g",
      evidence: "e",
      at: run.finishedAt,
    };
    const m = parseOpenMetrics(renderOpenMetrics(report));
    const unmeasured = report.scenarios.filter((r) => r.ttdMs === null).map((r) => r.name);
    expect(unmeasured.length).to.be.greaterThan(0);
    expect(m.get("kubedrill_attempt_ttd_seconds")!.map((s) => s.labels.scenario)).to.not.include.members(unmeasured);
    expect(m.get("kubedrill_attempt_rpo_ok")!.map((s) => [s.labels.probe, s.value])).to.deep.equal([
      ['orders "42" kept\\ok', 1],
      ["ledger row", 0],
    ]);
    expect(m.get("kubedrill_attempt_guard_tripped")!.map((s) => s.labels.guard)).to.deep.equal([
      "spec.abortWhen[0].podsReady",
    ]);
  });

  it("gives a skipped attempt its status sample and no TTD or RTO; a run of skips is skipped", () => {
    const m = parseOpenMetrics(renderOpenMetrics(skippedRunReport({ repeat: 2 })));
    const one = m.get("kubedrill_attempt_status")!.filter((s) => s.value === 1);
    expect(one.map((s) => [s.labels.attempt, s.labels.status])).to.deep.equal([
      ["1", "skipped"],
      ["2", "skipped"],
    ]);
    expect(m.get("kubedrill_run_status")!.find((s) => s.value === 1)!.labels.status).to.equal("skipped");
    expect(m.get("kubedrill_attempt_ttd_seconds") ?? [], "no TTD sample").to.deep.equal([]);
    expect(m.get("kubedrill_scenario_passed_attempts")!.map((s) => s.value)).to.deep.equal([0]);
  });

  it("gives a Pushgateway the Prometheus text format: no UNIT, no EOF, the info family as a gauge", () => {
    const text = renderPrometheusText(repeatRunReport());
    expect(text).to.not.match(/^# (UNIT|EOF)/m);
    expect(text).to.match(/^# TYPE kubedrill_run_info gauge$/m);
    expect(text).to.match(/^kubedrill_attempt_rto_seconds\{scenario="disk-full",attempt="3"\} 131$/m);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[2]);
    expect(new Set(types)).to.deep.equal(new Set(["gauge"]));
  });
});
