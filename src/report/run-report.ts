import { aggregate, type AggregateKey } from "./aggregate.ts";
import { worst } from "./status.ts";
import type { RunReport } from "./types.ts";

type RunReportParts = Omit<RunReport, "schemaVersion" | "status" | "aggregates">;

/**
 * Assembles the RunReport from its attempts: the overall status (the worst attempt's, or
 * "aborted" when the run was aborted) and the per-scenario aggregates, computed here once.
 * `keys` lists the scenarios in the order their aggregates appear.
 */
export function runReport(parts: RunReportParts, o: { aborted: boolean; keys: readonly AggregateKey[] }): RunReport {
  return {
    schemaVersion: 1,
    ...parts,
    status: o.aborted ? "aborted" : worst(parts.scenarios.map((r) => r.status)),
    aggregates: aggregate(parts.scenarios, o.keys),
  };
}
