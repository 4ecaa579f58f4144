import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";

/**
 * The scenarios carrying at least one of `tags` (all of them when none is given). A tag
 * no scenario carries is a usage error that lists the tags there are.
 */
export function selectByTags(built: readonly BuiltScenario[], tags: readonly string[] | undefined): BuiltScenario[] {
  if (!tags || tags.length === 0) return [...built];
  const known = new Set(built.flatMap((b) => b.scenario.metadata.tags));
  const unknown = tags.filter((t) => !known.has(t));
  if (unknown.length === tags.length)
    throw new UsageError(
      `--tag ${unknown.join(", ")}: no scenario carries ${unknown.length === 1 ? "this tag" : "these tags"}; the tags are: ${[...known].sort().join(", ") || "(none)"}`,
    );
  return built.filter((b) => b.scenario.metadata.tags.some((t) => tags.includes(t)));
}

/** The scenarios a previous run did not pass, from its report.json. */
export interface RerunSelection {
  /** Scenario names with an attempt that failed or errored. */
  names: string[];
  /** Their files, as the report recorded them. */
  files: string[];
  report: string;
}

/**
 * Reads a report.json (or the report directory holding it) and picks the scenarios whose
 * attempts failed or errored (under --repeat, one such attempt is enough). Aborted and
 * passed scenarios are left out.
 */
export async function failedInReport(path: string, cwd: string): Promise<RerunSelection> {
  let file = resolve(cwd, path);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) file = join(file, "report.json");
  let report: unknown;
  try {
    report = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new UsageError(`--rerun-failed ${path}: cannot read ${file}: ${why}`, { cause: err });
  }
  const runs = (report as { scenarios?: unknown }).scenarios;
  if (!Array.isArray(runs))
    throw new UsageError(`--rerun-failed ${path}: ${file} is not a kubedrill report.json (no scenarios list)`);
  // Under --repeat, one attempt that did not pass is enough to rerun the scenario.
  const failed = new Map<string, string>();
  for (const r of runs as { name?: unknown; status?: unknown; file?: unknown }[]) {
    if (typeof r.name !== "string" || (r.status !== "failed" && r.status !== "error")) continue;
    if (!failed.has(r.name)) failed.set(r.name, typeof r.file === "string" ? r.file : "");
  }
  return {
    names: [...failed.keys()],
    files: [...new Set([...failed.values()].filter((f) => f !== ""))],
    report: file,
  };
}

/** The built scenarios whose names are in `names`; throws when one of them is no longer there. */
export function selectByNames(built: readonly BuiltScenario[], names: readonly string[]): BuiltScenario[] {
  const have = new Set(built.map((b) => b.scenario.metadata.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length > 0)
    throw new UsageError(
      `--rerun-failed: ${missing.join(", ")} failed in the report but ${missing.length === 1 ? "is" : "are"} not among the scenarios given`,
    );
  return built.filter((b) => names.includes(b.scenario.metadata.name));
}
