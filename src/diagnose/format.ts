import type { Finding, FindingObject, Severity } from "./types.ts";

/** Text rendering of findings for `kubedrill diagnose`, grouped by severity. */
const ORDER: Severity[] = ["critical", "warning", "info"];

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function objectText(o: FindingObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

export function formatFindingsText(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No findings: nothing the analysers know of is wrong.";
  const lines: string[] = [];
  for (const severity of ORDER) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${severity.toUpperCase()} (${group.length})`);
    for (const f of group) {
      lines.push(`  [${f.code}] ${objectText(f.object)}`);
      lines.push(`    ${f.message}`);
      if (f.evidence.length) {
        lines.push("    evidence:");
        for (const e of f.evidence) lines.push(`      - ${e}`);
      }
      lines.push(`    remedy: ${f.remedy}`);
    }
    lines.push("");
  }
  const c = countBySeverity(findings);
  lines.push(
    `${findings.length} finding${findings.length === 1 ? "" : "s"}: ${c.critical} critical, ${c.warning} warning, ${c.info} info`,
  );
  return lines.join("\n");
}
