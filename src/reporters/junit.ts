/**
 * junit.xml: one <testsuite> per scenario file, one <testcase> per attempt. A failed
 * attempt carries <failure message="which target, missed by how much">, with the
 * evidence and the timeline in its body; error and aborted attempts carry <error>; a skipped
 * attempt (the cluster lacks a capability the scenario requires) carries <skipped> with the
 * reason as its text (the strict schema gives <skipped> no attributes; Jenkins and GitLab
 * show the text as the skip message).
 * Only what the strict Jenkins JUnit schema allows: no attributes of our own, <properties>
 * only on <testsuite> (the figures of each attempt there, under `<attempt>.` names), and
 * scenario files relative to the folder kubedrill ran in, never absolute.
 */
import path from "node:path";
import { xmlAttr, xmlText } from "./escape.ts";
import { statusCounts } from "../report/status.ts";
import type { RunReport, ScenarioRun } from "../report/types.ts";
import { verdict } from "../report/verdict.ts";
import {
  duration,
  injectedAt,
  offset,
  offsetOf,
  rpoMissed,
  rpoText,
  runTitle,
  seconds,
  unmeasured,
  whyNotPassed,
} from "./format.ts";
import type { Reporter } from "./reporter.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";

/**
 * A scenario file as junit.xml names it: relative to `root` (the folder of the run) when
 * it is below it, `kubedrill/...` for a scenario shipped with kubedrill, else as recorded.
 */
export function shownFile(file: string, root: string): string {
  if (!path.isAbsolute(file)) return file;
  const under = (dir: string) => {
    const rel = path.relative(dir, file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : undefined;
  };
  const local = under(root);
  if (local) return local;
  const shipped = under(PACKAGE_ROOT);
  return shipped ? `kubedrill/${shipped}` : file;
}

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
  const met = run.rpo?.lost === null ? "" : rpoMissed(run.rpo) ? ", missed" : ", met";
  const rpo = run.rpo ? `; RPO ${rpoText(run.rpo)}${met}` : "";
  const lines = [`${measured(run, "TTD")}; ${measured(run, "RTO")}${rpo}`];
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
  if (run.status === "skipped") return `${indent}<skipped>${xmlText(whyNotPassed(run).join("; "))}</skipped>\n`;
  const message = whyNotPassed(run).join("; ");
  const body = xmlText(describeRun(run));
  if (run.status === "failed") {
    const missed =
      verdict(run.ttdMs, run.targets.ttdMs).missed ||
      verdict(run.rtoMs, run.targets.rtoMs).missed ||
      rpoMissed(run.rpo);
    return `${indent}<failure${attrs({ message, type: missed ? "target-missed" : "failed" })}>${body}</failure>\n`;
  }
  return `${indent}<error${attrs({ message, type: run.status === "aborted" ? "aborted" : "error" })}>${body}</error>\n`;
}

function testcase(report: RunReport, run: ScenarioRun): string {
  const i = "    ";
  const head = `${i}<testcase${attrs({ name: runTitle(report, run), classname: `kubedrill.${run.name}`, time: seconds(run.startedAt, run.finishedAt).toFixed(3) })}>\n`;
  const out = run.status === "passed" ? `${i}  <system-out>${xmlText(describeRun(run))}</system-out>\n` : "";
  const err = run.cleanup.ok
    ? ""
    : `${i}  <system-err>${xmlText(`cleanup left behind: ${run.cleanup.leftovers.join(", ")}`)}</system-err>\n`;
  return `${head}${outcome(run, `${i}  `)}${out}${err}${i}</testcase>\n`;
}

/** The figures of one attempt, as suite properties named after it (`attempt2.ttdMs`; bare under one attempt). */
function attemptProperties(run: ScenarioRun, several: boolean): Record<string, string | number | boolean | null> {
  const p = several ? `attempt${run.attempt}.` : "";
  return {
    [`${p}status`]: run.status,
    [`${p}ttdMs`]: run.ttdMs,
    [`${p}rtoMs`]: run.rtoMs,
    ...(run.rpo
      ? {
          [`${p}rpoAcknowledgedWrites`]: run.rpo.acknowledged,
          [`${p}rpoLostWrites`]: run.rpo.lost,
          [`${p}rpoLostWritesTarget`]: run.rpo.target,
        }
      : {}),
    [`${p}namespace`]: run.namespace,
    [`${p}simulated`]: run.simulated,
  };
}

function suite(report: RunReport, file: string, runs: ScenarioRun[]): string {
  const c = statusCounts(runs);
  const time = runs.reduce((sum, r) => sum + seconds(r.startedAt, r.finishedAt), 0);
  const started = runs.map((r) => r.startedAt).sort()[0] ?? report.startedAt;
  const head = `  <testsuite${attrs({ name: file, tests: runs.length, failures: c.failed, errors: c.error + c.aborted, skipped: c.skipped, time: time.toFixed(3), timestamp: started })}>\n`;
  const first = runs[0]!;
  const props = properties("    ", {
    provider: first.provider,
    runId: report.runId,
    cluster: report.cluster.name,
    file,
    scenario: first.name,
    ttdTargetMs: first.targets.ttdMs,
    rtoTargetMs: first.targets.rtoMs,
    ...Object.assign({}, ...runs.map((r) => attemptProperties(r, runs.length > 1))),
  });
  return `${head}${props}\n${runs.map((r) => testcase(report, r)).join("")}  </testsuite>\n`;
}

/** junit.xml; scenario files are shown relative to `root` (the folder kubedrill ran in). */
export function renderJunit(report: RunReport, root: string = process.cwd()): string {
  const byFile = new Map<string, ScenarioRun[]>();
  for (const run of report.scenarios) {
    const file = shownFile(run.file, root);
    byFile.set(file, [...(byFile.get(file) ?? []), run]);
  }
  const c = statusCounts(report.scenarios);
  const head = `<testsuites${attrs({
    name: `kubedrill ${report.runId}`,
    tests: report.scenarios.length,
    failures: c.failed,
    errors: c.error + c.aborted,
    time: seconds(report.startedAt, report.finishedAt).toFixed(3),
  })}>\n`;
  const suites = [...byFile].map(([file, runs]) => suite(report, file, runs)).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites}</testsuites>\n`;
}

export const junitReporter: Reporter = { fileName: "junit.xml", render: (report) => renderJunit(report) };
