import { resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { scenarioFiles, type FoundFile, type SkippedFile } from "../scenario/files.ts";
import type { ParsedManifest } from "../scenario/manifests.ts";
import { closest } from "../scenario/suggest.ts";
import { analyseScenario, type Analysis } from "../scenario/load.ts";
import type { GivenValue } from "../scenario/declared.ts";
import { get, isMapValue, typedSpecs } from "../scenario/typed.ts";
import type { Scenario } from "../scenario/types.ts";
import { appliedManifestProblems } from "./applied.ts";
import { scopeProblems } from "./scope.ts";
import { reshown, type FileText, type SourceFiles } from "./source-files.ts";

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
export async function loadScenarios(
  paths: readonly string[],
  cwd: string,
  sources: SourceFiles,
  given: readonly GivenValue[] = [],
): Promise<Loaded> {
  const found = await scenarioFiles(paths, cwd);
  const results = new Map<FoundFile, FileResult>();
  const check = (f: FoundFile) => results.set(f, { ...checkFile(f.path, cwd, sources, given), explicit: f.explicit });
  // A file below a directory that does not even name a Scenario is most likely a manifest
  // that scenarios apply, and then is skipped: it is checked as a scenario last, and only if
  // it must be (it is not applied, or it applies files itself), so that it is not parsed
  // twice (as a scenario and as a manifest) only to be skipped.
  const later = new Set(found.files.filter((f) => !f.explicit && !mayBeScenario(sources.text(resolve(cwd, f.path)))));
  for (const f of found.files) if (!later.has(f)) check(f);
  const appliedSoFar = new Set([...results.values()].flatMap((r) => appliedFiles(r, cwd)));
  for (const f of later) {
    const absolute = resolve(cwd, f.path);
    if (!appliedSoFar.has(absolute) || appliesFiles(sources.manifest(absolute))) check(f);
  }
  const applied = new Set([...results.values()].flatMap((r) => appliedFiles(r, cwd)));
  const skipped = [...found.skipped];
  const checked = found.files.flatMap((f) => {
    const r = results.get(f);
    if (r?.explicit) return [r];
    const why = !r || applied.has(resolve(cwd, r.file)) ? "a manifest a scenario applies" : foreignKind(r.value);
    if (why) skipped.push({ file: f.path, reason: why });
    return why ? [] : [r!];
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
  const undeclared = undeclaredProblems(checked, given);
  return {
    problems: [...found.problems, ...undeclared],
    skipped,
    files: checked.map((r) => ({
      file: r.file,
      problems: r.problems,
      ...(r.scenario ? { scenario: r.scenario } : {}),
    })),
  };
}

/**
 * A value given for a variable no scenario checked declares (a typo, or the wrong
 * scenario): in a --values file, shown at its key; from --set, shown at each scenario's
 * spec.variables (that scenario can then not run). A value that some scenarios declare is
 * used by those and ignored by the others.
 */
function undeclaredProblems(checked: FileResult[], given: readonly GivenValue[]): SourceProblem[] {
  const declared = new Set(checked.flatMap((r) => r.declared ?? []));
  const problems: SourceProblem[] = [];
  for (const g of given) {
    if (declared.has(g.name)) continue;
    const all = [...declared].sort();
    const which = all.length ? `the scenarios declare: ${all.join(", ")}` : "no scenario declares any variable";
    const near = closest(g.name, all);
    const hint = near ? ` (did you mean "${near}"?)` : "";
    if (!("set" in g.from)) {
      const { file, line, column } = g.from;
      problems.push({
        file,
        line,
        column,
        field: g.name,
        message: `is not a variable of any scenario checked${hint}; ${which}`,
      });
      continue;
    }
    for (const r of checked) {
      if (!r.locator) continue;
      const mine = r.declared ?? [];
      const at = mine.length ? ["spec", "variables"] : ["spec"];
      r.problems = [
        ...r.problems,
        r.locator.problem(
          at,
          `${g.from.set}: ${g.name} is not a variable of this scenario${hint}; ${mine.length ? `it declares: ${mine.join(", ")}` : "it declares none (spec.variables)"}`,
          { key: true, field: ["spec", "variables"] },
        ),
      ].sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
      r.scenario = undefined;
    }
  }
  return problems;
}

function checkFile(
  file: string,
  cwd: string,
  sources: SourceFiles,
  given: readonly GivenValue[],
): Omit<FileResult, "explicit"> {
  const absolute = resolve(cwd, file);
  const text = sources.text(absolute);
  if ("invalid" in text) return { file, problems: [reshown(text.invalid, absolute, file)] };
  if (!("text" in text)) {
    const why = "missing" in text ? "no such file" : "notFile" in text ? "not a file" : text.unreadable;
    return { file, problems: [{ file, line: 1, column: 1, field: "", message: `cannot read scenario file: ${why}` }] };
  }
  const result = analyseScenario(text.text, file, absolute, given);
  if (result.value === undefined || !result.locator) return { ...result, file };
  const extra = [
    ...appliedManifestProblems(result.value, file, result.locator, cwd, sources),
    ...scopeProblems(result.value, file, result.locator, cwd, sources),
  ];
  if (extra.length === 0) return { ...result, file };
  return { ...result, file, scenario: undefined, problems: [...result.problems, ...extra] };
}

/** False when the text cannot be a scenario: it does not name the kind Scenario. */
function mayBeScenario(text: FileText): boolean {
  return !("text" in text) || text.text.includes("Scenario");
}

/** Whether a file read as a manifest holds an `apply` step (as a scenario would): then it applies files. */
function appliesFiles(manifest: ParsedManifest | undefined): boolean {
  return (manifest?.documents ?? []).some((d) =>
    [...typedSpecs(d.value)].some(({ type, params }) => type === "apply" && typeof params.path === "string"),
  );
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
