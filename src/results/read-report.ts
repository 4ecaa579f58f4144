import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { RunReport } from "../report/types.ts";

/**
 * Reads a kubedrill report.json, or the report folder holding one (`reports/latest`).
 * `what` names the option or argument in messages (`--baseline`, `BASE`). Refuses, as a
 * usage error, a file that cannot be read, is not JSON, or is not a report of schema 1.
 */
export async function readRunReport(
  path: string,
  cwd: string,
  what: string,
): Promise<{ report: RunReport; file: string }> {
  let file = resolve(cwd, path);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) file = join(file, "report.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new UsageError(`${what} ${path}: cannot read ${file}: ${why}`, { cause: err });
  }
  const r = parsed as Partial<RunReport> | null;
  if (
    !r ||
    typeof r !== "object" ||
    r.schemaVersion !== 1 ||
    !Array.isArray(r.scenarios) ||
    !Array.isArray(r.aggregates)
  )
    throw new UsageError(
      `${what} ${path}: ${file} is not a kubedrill report.json (expected schemaVersion 1 with scenarios and aggregates)`,
    );
  return { report: r as RunReport, file };
}
