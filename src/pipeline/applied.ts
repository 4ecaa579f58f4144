import { dirname, isAbsolute, join, resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { manifestProblems } from "../scenario/manifests.ts";
import type { Locator } from "../scenario/source.ts";
import { typedSpecs } from "../scenario/typed.ts";
import { reshown, type SourceFiles } from "./source-files.ts";

/**
 * Checks the manifest files that a scenario's `apply` steps name: each must exist
 * (relative to the scenario file) and pass the one manifest checker. Problems inside a
 * manifest are located in the manifest file; each file is read once per run (`sources`).
 */
export function appliedManifestProblems(
  scenario: unknown,
  scenarioFile: string,
  locator: Locator,
  cwd: string,
  sources: SourceFiles,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const checked = new Set<string>();
  for (const { path, type, params } of typedSpecs(scenario)) {
    if (type !== "apply" || typeof params.path !== "string" || params.path === "") continue;
    const at = [...path, type, "path"];
    const shown = isAbsolute(params.path) ? params.path : join(dirname(scenarioFile), params.path);
    const absolute = resolve(cwd, shown);
    const text = sources.text(absolute);
    if ("missing" in text) {
      problems.push(
        locator.problem(at, `manifest file ${JSON.stringify(params.path)} not found (looked for ${shown})`),
      );
      continue;
    }
    if ("notFile" in text) {
      problems.push(locator.problem(at, `${JSON.stringify(params.path)} is not a file (${shown})`));
      continue;
    }
    if ("invalid" in text) {
      problems.push(reshown(text.invalid, absolute, shown));
      continue;
    }
    if ("unreadable" in text) {
      problems.push(locator.problem(at, `cannot read manifest file ${shown}: ${text.unreadable}`));
      continue;
    }
    if (checked.has(absolute)) continue;
    checked.add(absolute);
    const { line, column } = locator.at(at);
    const appliedBy = `applied by ${scenarioFile}:${line}:${column}`;
    problems.push(...manifestProblems(sources.manifest(absolute)!, appliedBy).map((p) => reshown(p, absolute, shown)));
  }
  return problems;
}
