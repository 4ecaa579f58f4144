/**
 * The run's results as metrics: OpenMetrics text for `--metrics-file`, and the Prometheus
 * text format (0.0.4) that a Pushgateway takes for `--pushgateway`. Both come from the same
 * metric families, in seconds (the base unit); a value never measured (TTD of an attempt
 * that saw nothing) is left out rather than written as NaN.
 */
import { STATUS_ORDER } from "../report/status.ts";
import type { RunReport, ScenarioStatus } from "../report/types.ts";

type Labels = Record<string, string>;

interface Family {
  name: string;
  type: "gauge" | "info";
  unit?: "seconds";
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** Every status, skipped included (a skipped attempt: the cluster lacks what the scenario requires). */
const STATUSES: readonly ScenarioStatus[] = STATUS_ORDER;
const seconds = (ms: number) => ms / 1000;

/** The metric families of a report, in a fixed order. */
export function metricFamilies(report: RunReport): Family[] {
  const f = (name: string, help: string, o: Partial<Family> = {}): Family => ({
    name,
    type: "gauge",
    help,
    samples: [],
    ...o,
  });
  const run = f("kubedrill_run", "The run these metrics describe.", { type: "info" });
  run.samples.push({
    labels: {
      run_id: report.runId,
      version: report.tool.version,
      provider: report.provider,
      cluster: report.cluster.name,
    },
    value: 1,
  });
  const runStatus = f("kubedrill_run_status", "1 for the run's status (the worst of its attempts), 0 for the others.");
  for (const s of STATUSES) runStatus.samples.push({ labels: { status: s }, value: report.status === s ? 1 : 0 });
  const finished = f("kubedrill_run_finished_seconds", "When the run finished, in seconds since the Unix epoch.", {
    unit: "seconds",
  });
  const end = Date.parse(report.finishedAt);
  if (Number.isFinite(end)) finished.samples.push({ labels: {}, value: seconds(end) });

  const status = f("kubedrill_attempt_status", "1 for the attempt's status, 0 for the others.");
  const ttd = f("kubedrill_attempt_ttd_seconds", "Time to detect: fault injection to the expected signals.", {
    unit: "seconds",
  });
  const rto = f("kubedrill_attempt_rto_seconds", "Time to recover: fault injection to the recover probes holding.", {
    unit: "seconds",
  });
  const rpo = f("kubedrill_attempt_rpo_ok", "1 when an RPO probe (data written before the fault) passed, else 0.");
  const lost = f("kubedrill_attempt_rpo_lost_writes", "RPO in writes: acknowledged writes missing when read back.");
  const acked = f("kubedrill_attempt_rpo_acknowledged_writes", "Writes the store acknowledged during the attempt.");
  const lostTarget = f("kubedrill_attempt_rpo_lost_writes_target", "The most acknowledged writes that may be lost.");
  const guard = f("kubedrill_attempt_guard_tripped", "1 when an abort guard (spec.abortWhen) stopped the attempt.");
  for (const r of report.scenarios) {
    const who = { scenario: r.name, attempt: String(r.attempt) };
    for (const s of STATUSES) status.samples.push({ labels: { ...who, status: s }, value: r.status === s ? 1 : 0 });
    if (r.ttdMs !== null) ttd.samples.push({ labels: who, value: seconds(r.ttdMs) });
    if (r.rtoMs !== null) rto.samples.push({ labels: who, value: seconds(r.rtoMs) });
    for (const e of r.evidence)
      if (e.kind === "rpo" && e.ok !== undefined)
        rpo.samples.push({ labels: { ...who, probe: e.signal ?? e.text }, value: e.ok ? 1 : 0 });
    if (r.rpo) {
      // unknown (the store could not be read back) is no sample: absent, not 0
      if (r.rpo.lost !== null) lost.samples.push({ labels: who, value: r.rpo.lost });
      acked.samples.push({ labels: who, value: r.rpo.acknowledged });
      lostTarget.samples.push({ labels: who, value: r.rpo.target });
    }
    if (r.abortedBy) guard.samples.push({ labels: { ...who, guard: r.abortedBy.field }, value: 1 });
  }

  const attempts = f("kubedrill_scenario_attempts", "Attempts of the scenario in this run (--repeat).");
  const passed = f("kubedrill_scenario_passed_attempts", "Attempts of the scenario that passed.");
  const ttdStat = f("kubedrill_scenario_ttd_seconds", "TTD over the scenario's attempts: median, p95 and max.", {
    unit: "seconds",
  });
  const rtoStat = f("kubedrill_scenario_rto_seconds", "RTO over the scenario's attempts: median, p95 and max.", {
    unit: "seconds",
  });
  const ttdTarget = f("kubedrill_scenario_ttd_target_seconds", "The scenario's TTD target (detectWithin).", {
    unit: "seconds",
  });
  const rtoTarget = f("kubedrill_scenario_rto_target_seconds", "The scenario's RTO target (recoverWithin).", {
    unit: "seconds",
  });
  for (const a of report.aggregates) {
    const who = { scenario: a.name };
    attempts.samples.push({ labels: who, value: a.runs });
    passed.samples.push({ labels: who, value: a.passed });
    for (const stat of ["median", "p95", "max"] as const) {
      const t = a.ttd[stat];
      const r = a.rto[stat];
      if (t !== null) ttdStat.samples.push({ labels: { ...who, stat }, value: seconds(t) });
      if (r !== null) rtoStat.samples.push({ labels: { ...who, stat }, value: seconds(r) });
    }
    ttdTarget.samples.push({ labels: who, value: seconds(a.targets.ttdMs) });
    rtoTarget.samples.push({ labels: who, value: seconds(a.targets.rtoMs) });
  }
  return [
    run,
    runStatus,
    finished,
    status,
    ttd,
    rto,
    rpo,
    lost,
    acked,
    lostTarget,
    guard,
    attempts,
    passed,
    ttdStat,
    rtoStat,
    ttdTarget,
    rtoTarget,
  ];
}

/** A label value: backslash, double quote and line feed escaped (both formats). */
const labelValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function sample(name: string, labels: Labels, value: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(",");
  return `${name}${l ? `{${l}}` : ""} ${formatValue(value)}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  return String(v);
}

/** OpenMetrics 1.0 text: TYPE, UNIT and HELP before each family's samples, `# EOF` last. */
export function renderOpenMetrics(report: RunReport): string {
  const lines: string[] = [];
  for (const fam of metricFamilies(report)) {
    lines.push(`# TYPE ${fam.name} ${fam.type}`);
    if (fam.unit) lines.push(`# UNIT ${fam.name} ${fam.unit}`);
    lines.push(`# HELP ${fam.name} ${labelValue(fam.help)}`);
    const sampleName = fam.type === "info" ? `${fam.name}_info` : fam.name;
    for (const s of fam.samples) lines.push(sample(sampleName, s.labels, s.value));
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

/**
 * The Prometheus text format 0.0.4 (what a Pushgateway parses): no UNIT lines and no
 * `# EOF`, the info family as a gauge named `<name>_info`, HELP escaping only `\` and line feeds.
 */
export function renderPrometheusText(report: RunReport): string {
  const lines: string[] = [];
  for (const fam of metricFamilies(report)) {
    const name = fam.type === "info" ? `${fam.name}_info` : fam.name;
    lines.push(`# HELP ${name} ${fam.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`);
    lines.push(`# TYPE ${name} gauge`);
    for (const s of fam.samples) lines.push(sample(name, s.labels, s.value));
  }
  return `${lines.join("\n")}\n`;
}

export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
