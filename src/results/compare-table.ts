import { formatMs } from "../util/duration.ts";
import { pct, type Comparison, type Side } from "./compare.ts";

const ms = (v: number | null | undefined) => (v === null || v === undefined ? "-" : formatMs(v));

/** `1.20s -> 1.40s (+16.7%)`; a side missing from a report is `absent`. */
function cell(b: Side | undefined, n: Side | undefined, key: "ttdMs" | "rtoMs", change: number | undefined): string {
  if (!b || !n) return `${b ? ms(b[key]) : "absent"} -> ${n ? ms(n[key]) : "absent"}`;
  return `${ms(b[key])} -> ${ms(n[key])}${change !== undefined ? ` (${pct(change)})` : ""}`;
}

/**
 * The comparison as a table for a terminal or a CI log: per scenario, status, median TTD
 * and median RTO in the base and the new run with the change, and REGRESSION where the RTO
 * went beyond the margin; then one line per regression, or a line saying there is none.
 */
export function renderComparison(c: Comparison, o: { base: string; next: string }): string {
  const header = ["scenario", "status", "TTD median", "RTO median", ""];
  const rows = c.scenarios.map((s) => [
    s.name,
    `${s.base?.status ?? "absent"} -> ${s.next?.status ?? "absent"}`,
    cell(s.base, s.next, "ttdMs", s.ttdChange),
    cell(s.base, s.next, "rtoMs", s.rtoChange),
    s.regression ? "REGRESSION" : "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const margin = c.maxRtoRegression !== undefined ? `, RTO margin ${pct(c.maxRtoRegression).replace(/^\+/, "")}` : "";
  const out = [`base ${o.base}`, `new  ${o.next}${margin}`, "", line(header), ...rows.map(line), ""];
  if (c.maxRtoRegression !== undefined)
    out.push(
      ...(c.regressions.length
        ? c.regressions.map((r) => `RTO regression: ${r}`)
        : ["no RTO regression beyond the margin"]),
    );
  return `${out.join("\n").trimEnd()}\n`;
}
