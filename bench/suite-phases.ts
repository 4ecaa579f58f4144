// Benchmark part: where the shipped suite's wall time goes. Runs `kubedrill run scenarios/`
// on a local cluster of its own (started by the run, stopped afterwards) and reads the
// report's timing: cluster start, each phase summed over the scenarios, and how the wall
// time compares with what Kubernetes itself takes (each scenario's RTO, which counts from
// the fault to recovery and so includes the wait for detection) plus the setup that cannot
// be avoided (creating the workload, waiting for it, tearing it down).
//   npx tsx bench/suite-phases.ts      (writes reports/bench/suite-phases.json)
// Env: BENCH_SUITE_NODES (real when the host supports real nodes, else kwok).
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { RunReport } from "../src/report/types.ts";
import { realNodeSupport } from "../src/providers/local/nodes/support.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const CLI = path.join(REPO, "bin/kubedrill.js");

export interface SuitePhases {
  date: string;
  nodes: string;
  exitCode: number;
  wallMs: number;
  clusterStartMs: number | undefined;
  phasesMs: Record<string, number>;
  /** Σ RTO over the scenarios that recovered: what Kubernetes and the remediations take. */
  rtoSumMs: number;
  /** Σ setup + steady-state + cleanup: creating, checking and removing the workloads. */
  setupSumMs: number;
  /**
   * Attempt time that ran beside other attempts: Σ attempts - (wall - cluster start). A serial
   * run overlaps an attempt's cleanup (the wait for its namespace to go) with the next one.
   */
  overlappedMs: number;
  /**
   * wall - cluster start - Σ RTO - Σ setup + overlapped: the time that is neither Kubernetes'
   * nor the workloads'.
   */
  restMs: number;
  /**
   * Issue 13's goal: the wall time within 10% of Σ (TTD + RTO) plus the setup that cannot be
   * avoided (cluster start, creating the workloads and waiting for them: setup and steady state).
   */
  goal: { unavoidableMs: number; limitMs: number; met: boolean };
  scenarios: { name: string; ttdMs: number | null; rtoMs: number | null; phasesMs: Record<string, number> }[];
}

/** The figures a report gives (test/bench/suite-phases.test.ts). */
export function suitePhases(report: RunReport, nodes: string, exitCode: number): SuitePhases {
  const t = report.timing;
  if (!t) throw new Error("report.json has no timing (a dry run?)");
  const phases = t.phasesMs as Record<string, number>;
  const rtoSumMs = report.scenarios.reduce((n, s) => n + (s.rtoMs ?? 0), 0);
  const setupSumMs = (phases.setup ?? 0) + (phases["steady-state"] ?? 0) + (phases.cleanup ?? 0);
  const ttdSumMs = report.scenarios.reduce((n, s) => n + (s.ttdMs ?? 0), 0);
  const overlappedMs = Math.max(0, t.attemptsMs - (t.wallMs - (t.clusterStartMs ?? 0)));
  const unavoidableMs =
    (t.clusterStartMs ?? 0) + ttdSumMs + rtoSumMs + (phases.setup ?? 0) + (phases["steady-state"] ?? 0);
  const limitMs = Math.round(unavoidableMs * 1.1);
  return {
    date: new Date().toISOString(),
    nodes,
    exitCode,
    wallMs: t.wallMs,
    clusterStartMs: t.clusterStartMs,
    phasesMs: phases,
    rtoSumMs,
    setupSumMs,
    overlappedMs,
    restMs: t.wallMs - (t.clusterStartMs ?? 0) - rtoSumMs - setupSumMs + overlappedMs,
    goal: { unavoidableMs, limitMs, met: t.wallMs <= limitMs },
    scenarios: report.scenarios.map((s) => ({
      name: s.name,
      ttdMs: s.ttdMs,
      rtoMs: s.rtoMs,
      phasesMs: (s.phasesMs ?? {}) as Record<string, number>,
    })),
  };
}

const sec = (ms: number | undefined | null) => (ms === undefined || ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`);

export function suitePhasesTable(r: SuitePhases): string {
  const share = (ms: number) => `  ${((100 * ms) / r.wallMs).toFixed(0)}%`;
  const row = (label: string, ms: number | undefined, note = "") => `  ${label.padEnd(38)}${sec(ms)}${note}`;
  return [
    `kubedrill run scenarios/ on ${r.nodes} nodes: wall ${sec(r.wallMs)} (exit ${r.exitCode})`,
    row("cluster start", r.clusterStartMs),
    ...Object.entries(r.phasesMs).map(([k, v]) => row(`Σ ${k}`, v, share(v))),
    row("Σ RTO (Kubernetes + remediation)", r.rtoSumMs),
    row("Σ setup + steady-state + cleanup", r.setupSumMs),
    row("Σ cleanup beside the next attempt", r.overlappedMs),
    row("the rest (ours)", r.restMs, `${share(r.restMs)} of the wall time`),
    row("unavoidable", r.goal.unavoidableMs, " (cluster start + Σ TTD + Σ RTO + Σ setup + Σ steady state)"),
    row(
      "goal: wall within 1.1 × unavoidable",
      r.goal.limitMs,
      ` (${r.goal.met ? "met" : "not met"}: wall ${sec(r.wallMs)})`,
    ),
  ].join("\n");
}

/** The part `npm run bench` runs (bench/index.ts). */
export async function part(): Promise<string> {
  const nodes = process.env.BENCH_SUITE_NODES ?? (realNodeSupport().ok ? "real" : "kwok");
  const name = `bench-suite-${process.pid}`;
  const dir = path.join(REPO, "reports/bench/suite-phases");
  try {
    const r = await execa(
      process.execPath,
      [CLI, "run", "scenarios/", "--provider", "local", "--name", name, "--nodes", nodes, "--report-dir", dir],
      { cwd: REPO, reject: false, all: true },
    );
    const report = JSON.parse(await fs.readFile(path.join(dir, "report.json"), "utf8")) as RunReport;
    const result = suitePhases(report, nodes, r.exitCode ?? -1);
    await fs.writeFile(path.join(REPO, "reports/bench/suite-phases.json"), JSON.stringify(result, null, 2));
    return suitePhasesTable(result);
  } finally {
    await execa(process.execPath, [CLI, "cluster", "down", "--name", name], { cwd: REPO, reject: false });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) console.log(await part());
