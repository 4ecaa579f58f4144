/** The "time by phase" table of summary.md and report.html: what report.timing and each attempt's phasesMs hold. */
import { PHASES, type PhaseTimes, type RunReport } from "../report/types.ts";
import { duration, runTitle } from "./format.ts";

export interface PhaseTable {
  /** "Attempt", each phase, "Total". */
  head: string[];
  /** One row per attempt that ran its phases, then "all attempts": a title and formatted cells. */
  rows: { title: string; cells: string[] }[];
  /** One line on the run as a whole: wall time, cluster start, TTD+RTO, overhead. */
  line: string;
}

const cells = (p: PhaseTimes, total: number) => [...PHASES.map((ph) => duration(p[ph])), duration(total)];

/** The table's content, or undefined when the report says nothing about time (a dry run, an old report). */
export function phaseTable(report: RunReport): PhaseTable | undefined {
  const t = report.timing;
  if (!t) return undefined;
  const ran = report.scenarios.filter((r) => r.phasesMs !== undefined);
  const rows = ran.map((r) => ({
    title: runTitle(report, r),
    cells: cells(r.phasesMs!, Date.parse(r.finishedAt) - Date.parse(r.startedAt)),
  }));
  if (ran.length > 1) rows.push({ title: "all attempts", cells: cells(t.phasesMs, t.attemptsMs) });
  const parts = [
    ...(t.clusterStartMs !== undefined ? [`cluster start ${duration(t.clusterStartMs)}`] : []),
    `start-up ${duration(t.startupMs)}`,
    `attempts ${duration(t.attemptsMs)} (${t.maxConcurrent > 1 ? `up to ${t.maxConcurrent} at once` : "one at a time"})`,
  ];
  const line = `Wall time ${duration(t.wallMs)}: ${parts.join(", ")}. TTD+RTO ${duration(t.ttdRtoMs)}, overhead ${duration(t.overheadMs)}.`;
  return { head: ["Attempt", ...PHASES, "Total"], rows, line };
}
