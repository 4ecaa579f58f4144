/**
 * junit.xml: one <testsuite> per scenario file, one <testcase> per attempt. A failed
 * attempt carries <failure message="which target, missed by how much">, with the
 * evidence and the timeline in its body; error and aborted attempts carry <error>.
 */
import { xmlAttr, xmlText } from "./escape.ts";
import { statusCounts } from "../report/status.ts";
import type { RunReport, ScenarioRun } from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import { duration, injectedAt, offset, offsetOf, runTitle, seconds, unmeasured, whyNotPassed } from "./format.ts";
import type { Reporter } from "./reporter.ts";

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

function properties(indent: string, values: Record<string, string | number | boolean | null>): string {
  const rows = Object.entries(values).map(
    ([name, v]) => `${indent}  <property${attrs({ name, value: v === null ? "" : String(v) })}/>`,
  );
  return `${indent}<properties>\n${rows.join("\n")}\n${indent}</properties>`;
}

function measured(run: ScenarioRun, label: "TTD" | "RTO"): string {
  const target = label === "TTD" ? run.targets.ttdMs : run.targets.rtoMs;
  const v = verdict(label === "TTD" ? run.ttdMs : run.rtoMs, target);
  if (v.value === null) return `${label} ${unmeasured(run.status, label).text} (target ${duration(target)})`;
  return `${label} ${duration(v.value)} (target ${duration(target)}${v.missed ? `, missed by ${duration(v.overMs)}` : ", met"})`;
}

/** Plain-text account of an attempt: verdicts, evidence (with [simulated]), timeline, cleanup. */
function describeRun(run: ScenarioRun): string {
  const zero = injectedAt(run);
  const lines = [`${measured(run, "TTD")}; ${measured(run, "RTO")}`];
  const reasons = whyNotPassed(run);
  if (reasons.length > 0) lines.push("", "Reasons:", ...reasons.map((r) => `  - ${r}`));
  lines.push("", "Evidence:");
  if (run.evidence.length === 0) lines.push("  (none)");
  for (const e of run.evidence) {
    const mark = e.simulated ? "[simulated] " : "";
    lines.push(
      `  ${offset(offsetOf(e, zero)).padStart(8)}  ${mark}${e.kind}${e.signal ? ` ${e.signal}` : ""}: ${e.text}`,
    );
  }
  lines.push("", "Timeline (relative to fault injection):");
  for (const t of run.timeline)
    lines.push(`  ${offset(offsetOf(t, zero)).padStart(8)}  ${t.phase.padEnd(12)}  ${t.what}`);
  lines.push(
    "",
    run.cleanup.ok
      ? `Cleanup: ok${run.cleanup.notRestored ? `, but not as it was: ${run.cleanup.notRestored.join("; ")}` : ""}`
      : `Cleanup: FAILED, left behind: ${run.cleanup.leftovers.join(", ") || "(unknown)"}`,
  );
  return lines.join("\n");
}

function outcome(run: ScenarioRun, indent: string): string {
  if (run.status === "passed") return "";
  const message = whyNotPassed(run).join("; ");
  const body = xmlText(describeRun(run));
  if (run.status === "failed") {
    const missed = verdict(run.ttdMs, run.targets.ttdMs).missed || verdict(run.rtoMs, run.targets.rtoMs).missed;
    return `${indent}<failure${attrs({ message, type: missed ? "target-missed" : "failed" })}>${body}</failure>\n`;
  }
  return `${indent}<error${attrs({ message, type: run.status === "aborted" ? "aborted" : "error" })}>${body}</error>\n`;
}

function testcase(report: RunReport, run: ScenarioRun): string {
  const i = "    ";
  const head = `${i}<testcase${attrs({ name: runTitle(report, run), classname: `kubedrill.${run.name}`, file: run.file, time: seconds(run.startedAt, run.finishedAt).toFixed(3) })}>\n`;
  const props = properties(`${i}  `, {
    provider: run.provider,
    runId: report.runId,
    ttdMs: run.ttdMs,
    rtoMs: run.rtoMs,
    ttdTargetMs: run.targets.ttdMs,
    rtoTargetMs: run.targets.rtoMs,
    attempt: run.attempt,
    namespace: run.namespace,
    simulated: run.simulated,
  });
  const out = run.status === "passed" ? `${i}  <system-out>${xmlText(describeRun(run))}</system-out>\n` : "";
  const err = run.cleanup.ok
    ? ""
    : `${i}  <system-err>${xmlText(`cleanup left behind: ${run.cleanup.leftovers.join(", ")}`)}</system-err>\n`;
  return `${head}${props}\n${outcome(run, `${i}  `)}${out}${err}${i}</testcase>\n`;
}

function suite(report: RunReport, file: string, runs: ScenarioRun[]): string {
  const c = statusCounts(runs);
  const time = runs.reduce((sum, r) => sum + seconds(r.startedAt, r.finishedAt), 0);
  const started = runs.map((r) => r.startedAt).sort()[0] ?? report.startedAt;
  const head = `  <testsuite${attrs({ name: file, tests: runs.length, failures: c.failed, errors: c.error + c.aborted, skipped: 0, time: time.toFixed(3), timestamp: started })}>\n`;
  const props = properties("    ", { provider: report.provider, runId: report.runId, cluster: report.cluster.name });
  return `${head}${props}\n${runs.map((r) => testcase(report, r)).join("")}  </testsuite>\n`;
}

export function renderJunit(report: RunReport): string {
  const byFile = new Map<string, ScenarioRun[]>();
  for (const run of report.scenarios) byFile.set(run.file, [...(byFile.get(run.file) ?? []), run]);
  const c = statusCounts(report.scenarios);
  const head = `<testsuites${attrs({
    name: `kubedrill ${report.runId}`,
    tests: report.scenarios.length,
    failures: c.failed,
    errors: c.error + c.aborted,
    skipped: 0,
    time: seconds(report.startedAt, report.finishedAt).toFixed(3),
    timestamp: report.startedAt,
  })}>\n`;
  const suites = [...byFile].map(([file, runs]) => suite(report, file, runs)).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites}</testsuites>\n`;
}

export const junitReporter: Reporter = { fileName: "junit.xml", render: renderJunit };
