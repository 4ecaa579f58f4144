import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { parseYaml } from "./source.ts";
import type { Locator } from "./source.ts";
import { isMapValue, typedSpecs } from "./typed.ts";

/**
 * Checks the manifest files that `apply` steps name: each must exist (relative to the
 * scenario file), parse as YAML, and hold Kubernetes objects with apiVersion, kind and
 * metadata.name. Problems inside a manifest are located in the manifest file.
 */
export async function manifestProblems(
  scenario: unknown,
  scenarioFile: string,
  locator: Locator,
  cwd = process.cwd(),
): Promise<SourceProblem[]> {
  const problems: SourceProblem[] = [];
  const checked = new Set<string>();
  for (const { path, type, params } of typedSpecs(scenario)) {
    if (type !== "apply" || typeof params.path !== "string" || params.path === "") continue;
    const at = [...path, type, "path"];
    const shown = isAbsolute(params.path) ? params.path : join(dirname(scenarioFile), params.path);
    const absolute = resolve(cwd, shown);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      problems.push(
        locator.problem(at, `manifest file ${JSON.stringify(params.path)} not found (looked for ${shown})`),
      );
      continue;
    }
    if (!info.isFile()) {
      problems.push(locator.problem(at, `${JSON.stringify(params.path)} is not a file (${shown})`));
      continue;
    }
    if (checked.has(absolute)) continue;
    checked.add(absolute);
    const { line, column } = locator.at(at);
    const appliedBy = `applied by ${scenarioFile}:${line}:${column}`;
    problems.push(...checkManifest(await readFile(absolute, "utf8"), shown, appliedBy));
  }
  return problems;
}

function checkManifest(text: string, file: string, appliedBy: string): SourceProblem[] {
  const { documents, problems } = parseYaml(text, file);
  const out = problems.map((p) => ({ ...p, message: `${p.message} (${appliedBy})` }));
  const nonEmpty = documents.filter((d) => !d.empty);
  if (problems.length === 0 && nonEmpty.length === 0)
    out.push({ file, line: 1, column: 1, field: "", message: `holds no Kubernetes objects (${appliedBy})` });
  for (const [i, doc] of documents.entries()) {
    if (doc.empty || doc.value === undefined) continue;
    const which = documents.length > 1 ? `document ${i + 1}, ` : "";
    const report = (at: string[], field: string[], message: string) =>
      out.push(doc.locator.problem(at, `${message} (${which}${appliedBy})`, { field }));
    const obj = doc.value;
    if (!isMapValue(obj)) {
      report([], [], "a manifest document must be a Kubernetes object (a map)");
      continue;
    }
    for (const key of ["apiVersion", "kind"]) {
      if (obj[key] === undefined) report([], [key], "is required");
      else if (typeof obj[key] !== "string" || obj[key] === "") report([key], [key], "must be a non-empty string");
    }
    const name = isMapValue(obj.metadata) ? obj.metadata.name : undefined;
    if (typeof name !== "string" || name === "")
      report(
        isMapValue(obj.metadata) ? ["metadata"] : [],
        ["metadata", "name"],
        "is required (server-side apply needs a name)",
      );
  }
  return out;
}
