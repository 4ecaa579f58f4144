import { resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { scenarioFiles, type SkippedFile } from "../scenario/files.ts";
import { closest } from "../scenario/suggest.ts";
import { analyseScenario, type Analysis } from "../scenario/load.ts";
import { get, isMapValue, typedSpecs } from "../scenario/typed.ts";
import type { Scenario } from "../scenario/types.ts";
import { appliedManifestProblems } from "./applied.ts";
import { scopeProblems } from "./scope.ts";
import { reshown, type SourceFiles } from "./source-files.ts";

/** One scenario file after stages 1 and 2: its problems, or its Scenario. */
export interface LoadedFile {
  /** As shown (the path as given, or joined onto the directory given). */
  file: string;
  problems: SourceProblem[];
  scenario?: Scenario;
}

export interface Loaded {
  /** Paths that do not exist, symbolic links that lead outside the directory named. */
  problems: SourceProblem[];
  /** YAML files below a directory that are not scenarios, and why (for a log line each). */
  skipped: SkippedFile[];
  /** The scenario files checked, in order. */
  files: LoadedFile[];
}

interface FileResult extends Analysis {
  file: string;
  explicit: boolean;
}

/**
 * Stages 1 and 2 of the pipeline: finds the scenario files of `paths` (every *.yaml /
 * *.yml below a directory, sorted), reads each once, parses it with locations, checks the
 * schema and the semantics, and checks the manifests it applies. In directories,
 * Kubernetes manifests are skipped (and listed in `skipped`): files that scenarios apply,
 * and files whose kind is not Scenario with an apiVersion outside kubedrill.io, unless
 * both are a near miss (`Scenaro`, `kubedril.io/v1alpha1`): that is a broken scenario.
 * metadata.name must be unique.
 */
export async function loadScenarios(paths: readonly string[], cwd: string, sources: SourceFiles): Promise<Loaded> {
  const found = await scenarioFiles(paths, cwd);
  const results = found.files.map((f) => ({ ...checkFile(f.path, cwd, sources), explicit: f.explicit }));
  const applied = new Set(results.flatMap((r) => appliedFiles(r, cwd)));
  const skipped = [...found.skipped];
  const checked = results.filter((r) => {
    if (r.explicit) return true;
    const why = applied.has(resolve(cwd, r.file)) ? "a manifest a scenario applies" : foreignKind(r.value);
    if (why) skipped.push({ file: r.file, reason: why });
    return !why;
  });
  const owners = new Map<string, string>();
  for (const r of checked) {
    const name = get(r.value, ["metadata", "name"]);
    if (typeof name !== "string" || !r.locator) continue;
    const owner = owners.get(name);
    if (owner === undefined) owners.set(name, r.file);
    else {
      r.problems = [
        ...r.problems,
        r.locator.problem(
          ["metadata", "name"],
          `${JSON.stringify(name)} is already used by ${owner}; scenario names must be unique`,
        ),
      ];
      r.scenario = undefined;
    }
  }
  return {
    problems: found.problems,
    skipped,
    files: checked.map((r) => ({
      file: r.file,
      problems: r.problems,
      ...(r.scenario ? { scenario: r.scenario } : {}),
    })),
  };
}

function checkFile(file: string, cwd: string, sources: SourceFiles): Omit<FileResult, "explicit"> {
  const absolute = resolve(cwd, file);
  const text = sources.text(absolute);
  if ("invalid" in text) return { file, problems: [reshown(text.invalid, absolute, file)] };
  if (!("text" in text)) {
    const why = "missing" in text ? "no such file" : "notFile" in text ? "not a file" : text.unreadable;
    return { file, problems: [{ file, line: 1, column: 1, field: "", message: `cannot read scenario file: ${why}` }] };
  }
  const result = analyseScenario(text.text, file, absolute);
  if (result.value === undefined || !result.locator) return { ...result, file };
  const extra = [
    ...appliedManifestProblems(result.value, file, result.locator, cwd, sources),
    ...scopeProblems(result.value, file, result.locator, cwd, sources),
  ];
  if (extra.length === 0) return { ...result, file };
  return { ...result, file, scenario: undefined, problems: [...result.problems, ...extra] };
}

function appliedFiles(r: FileResult, cwd: string): string[] {
  const out: string[] = [];
  for (const { type, params } of typedSpecs(r.value)) {
    if (type === "apply" && typeof params.path === "string") out.push(resolve(cwd, r.file, "..", params.path));
  }
  return out;
}

/**
 * What a file holds when it is a Kubernetes object rather than a (possibly broken)
 * scenario: its kind is not Scenario and its apiVersion not kubedrill.io/..., and neither
 * is a near miss of them (within a small edit distance). Undefined for a scenario.
 */
function foreignKind(value: unknown): string | undefined {
  if (!isMapValue(value) || typeof value.kind !== "string" || value.kind === "Scenario") return undefined;
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : undefined;
  if (apiVersion?.startsWith("kubedrill.io/")) return undefined;
  if (closest(value.kind, ["Scenario"]) || (apiVersion && closest(apiVersion, [API_VERSION]))) return undefined;
  return `a Kubernetes ${value.kind}${apiVersion ? ` (${apiVersion})` : ""}, not a kubedrill Scenario`;
}

const API_VERSION = "kubedrill.io/v1alpha1";
