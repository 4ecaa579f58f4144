/**
 * report.json: the RunReport exactly as the runner built it, pretty-printed, with keys
 * in a stable order (the contract's declaration order, then any unknown keys sorted) so
 * two reports diff cleanly whatever order the runner assigned properties in.
 */
import { PHASES, type RunReport } from "../report/types.ts";
import type { Reporter } from "./reporter.ts";

/** Key order per object kind, and the kind of each nested object or array element. */
interface Shape {
  keys: readonly string[];
  children?: Record<string, Shape>;
}

const stats: Shape = { keys: ["count", "median", "p95", "max"] };
const targets: Shape = { keys: ["ttdMs", "rtoMs"] };
const phases: Shape = { keys: PHASES };

const SHAPE: Shape = {
  keys: [
    "schemaVersion",
    "tool",
    "runId",
    "provider",
    "cluster",
    "startedAt",
    "finishedAt",
    "status",
    "options",
    "scenarios",
    "aggregates",
    "timing",
  ],
  children: {
    tool: { keys: ["name", "version"] },
    cluster: { keys: ["name", "serverVersion", "unavailable"] },
    options: { keys: ["repeat", "parallel", "remediate", "dryRun"] },
    scenarios: {
      keys: [
        "name",
        "file",
        "attempt",
        "status",
        "ttdMs",
        "rtoMs",
        "rpo",
        "targets",
        "provider",
        "namespace",
        "startedAt",
        "finishedAt",
        "reasons",
        "timeline",
        "evidence",
        "simulated",
        "cleanup",
        "phasesMs",
        "abortedBy",
      ],
      children: {
        targets,
        rpo: { keys: ["acknowledged", "lost", "target", "notAcknowledged"] },
        timeline: { keys: ["at", "offsetMs", "phase", "what"] },
        evidence: { keys: ["kind", "signal", "text", "ok", "at", "offsetMs", "simulated"] },
        cleanup: { keys: ["ok", "leftovers", "notRestored"] },
        abortedBy: { keys: ["scenario", "field", "guard", "evidence", "at", "offsetMs"] },
        phasesMs: phases,
      },
    },
    aggregates: {
      keys: ["name", "runs", "passed", "status", "ttd", "rto", "targets"],
      children: { ttd: stats, rto: stats, targets },
    },
    timing: {
      keys: [
        "clusterStartMs",
        "startupMs",
        "phasesMs",
        "attemptsMs",
        "ttdRtoMs",
        "wallMs",
        "overheadMs",
        "maxConcurrent",
      ],
      children: { phasesMs: phases },
    },
  },
};

function ordered(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, shape));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const known = shape?.keys ?? [];
  const rank = (k: string) => {
    const i = known.indexOf(k);
    return i === -1 ? known.length : i;
  };
  const keys = Object.keys(obj).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = ordered(obj[k], shape?.children?.[k]);
  return out;
}

/** The report as JSON text with stable key order, two-space indent, trailing newline. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(ordered(report, SHAPE), null, 2)}\n`;
}

export const jsonReporter: Reporter = { fileName: "report.json", render: renderJson };
