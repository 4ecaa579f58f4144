/**
 * Loading scenario files: YAML -> located problems or a Scenario (src/scenario/types.ts).
 *
 * The format (schema.json is the authority; `kubedrill schema` prints it):
 *
 *   apiVersion: kubedrill.io/v1alpha1
 *   kind: Scenario
 *   metadata: { name: quota-exhaustion, description: "...", tags: [scheduling, core] }
 *   spec:
 *     requires: { nodes: 6, clusterScoped: [PriorityClass] }     # optional
 *     targets: { detectWithin: 30s, recoverWithin: 2m }           # TTD and RTO targets
 *     setup:                                                      # optional
 *       steps: [ { apply: { path: manifests/shop.yaml } } ]       # paths relative to this file
 *       waitFor: [ { available: { target: { kind: Deployment, name: api } } } ]
 *       timeout: 2m                                               # default 3m
 *     steadyState: [ { podsReady: { selector: app=api } } ]
 *     fault: [ { scale: { target: { kind: Deployment, name: api }, replicas: 20 } } ]
 *     detect:
 *       mode: all                                                 # all (default) | any
 *       signals: [ { event: { involvedKind: Pod, reason: FailedScheduling, message: "Insufficient cpu" } } ]
 *     remediate:                                                  # steps and/or external
 *       steps: [ ... ]
 *       external: { description: "the autoscaler fixes it" }
 *     recover:                                                    # optional
 *       probes: [ ... ]                                           # default: steadyState
 *       rpo: [ ... ]                                              # default []
 *       holdFor: 2s                                               # default 0s
 *
 * Every step, probe and signal is a one-key map `{ <type>: params }` and becomes
 * `{ type, params, loc }`; loc points at the map (field `spec.fault[0].scale`). Params keep
 * their YAML values (durations stay strings, but are validated), except that the probes
 * in `wait.for` and `probeFails.probe` become ProbeSpecs too.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ValidationError } from "../errors.ts";
import type { SourceProblem } from "../errors.ts";
import { buildScenario } from "./build.ts";
import { scenarioFiles } from "./files.ts";
import { manifestProblems } from "./manifests.ts";
import { schemaProblems } from "./schemaCheck.ts";
import { semanticProblems } from "./semantics.ts";
import { parseYaml } from "./source.ts";
import { capProblems, decodeUtf8 } from "./limits.ts";
import type { Locator } from "./source.ts";
import { get, isMapValue, typedSpecs } from "./typed.ts";
import type { Scenario } from "./types.ts";

export interface LoadOptions {
  /** Relative paths are resolved against this (default: process.cwd()); messages keep them as given. */
  cwd?: string;
}

interface Analysis {
  scenario?: Scenario;
  problems: SourceProblem[];
  value?: unknown;
  locator?: Locator;
}

/**
 * Parses and validates one scenario's text without touching the file system (manifest
 * files named by `apply.path` are not checked). `file` is used in messages and, made
 * absolute, as Scenario.file.
 */
export function parseScenarioText(text: string, file: string): { scenario?: Scenario; problems: SourceProblem[] } {
  const { scenario, problems } = analyse(text, file, resolve(file));
  return scenario ? { scenario, problems } : { problems };
}

function analyse(text: string, file: string, absolute: string): Analysis {
  const { documents, problems } = parseYaml(text, file);
  const nonEmpty = documents.filter((d) => !d.empty);
  if (nonEmpty.length > 1) {
    const { line, column } = nonEmpty[1]!.start;
    problems.push({
      file,
      line,
      column,
      field: "",
      message: `holds ${nonEmpty.length} YAML documents; a scenario file holds exactly one`,
    });
  }
  const doc = nonEmpty[0];
  if (problems.length === 0 && !doc)
    problems.push({
      file,
      line: 1,
      column: 1,
      field: "",
      message: "is empty; expected a Scenario (apiVersion, kind, metadata, spec)",
    });
  if (!doc || doc.value === undefined) return { problems: capProblems(sortProblems(problems)) };
  problems.push(...schemaProblems(doc.value, doc.locator), ...semanticProblems(doc.value, doc.locator));
  const all = capProblems(sortProblems(problems));
  const scenario = all.length === 0 ? buildScenario(doc.value, absolute, doc.locator) : undefined;
  return { scenario, problems: all, value: doc.value, locator: doc.locator };
}

interface FileResult extends Analysis {
  file: string;
}

async function checkFile(file: string, cwd: string): Promise<FileResult> {
  const absolute = resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : err instanceof Error
          ? err.message
          : String(err);
    return { file, problems: [{ file, line: 1, column: 1, field: "", message: `cannot read scenario file: ${why}` }] };
  }
  const decoded = decodeUtf8(bytes, file);
  if ("problem" in decoded) return { file, problems: [decoded.problem] };
  const result = analyse(decoded.text, file, absolute);
  if (result.value !== undefined && result.locator) {
    const extra = await manifestProblems(result.value, file, result.locator, cwd);
    if (extra.length > 0) return { ...result, file, scenario: undefined, problems: [...result.problems, ...extra] };
  }
  return { ...result, file };
}

/** Loads one scenario file; throws ValidationError listing every problem. */
export async function loadScenarioFile(path: string, opts: LoadOptions = {}): Promise<Scenario> {
  const result = await checkFile(path, opts.cwd ?? process.cwd());
  if (!result.scenario) throw new ValidationError(result.problems);
  return result.scenario;
}

/**
 * Loads scenario files and directories (every *.yaml / *.yml below them, sorted). In
 * directories, Kubernetes manifests are skipped: files that scenarios apply, and files
 * whose kind is not Scenario with an apiVersion outside kubedrill.io. Returns the valid
 * scenarios, every problem, and the scenario files checked. metadata.name must be unique.
 */
export async function loadScenarios(
  paths: string[],
  opts: LoadOptions = {},
): Promise<{ scenarios: Scenario[]; problems: SourceProblem[]; files: string[] }> {
  const cwd = opts.cwd ?? process.cwd();
  const found = await scenarioFiles(paths, cwd);
  const results: (FileResult & { explicit: boolean })[] = [];
  for (const f of found.files) results.push({ ...(await checkFile(f.path, cwd)), explicit: f.explicit });
  const applied = new Set(results.flatMap((r) => appliedFiles(r, cwd)));
  const checked = results.filter((r) => r.explicit || (!applied.has(resolve(cwd, r.file)) && !isForeign(r.value)));
  const problems = [...found.problems];
  const owners = new Map<string, string>();
  for (const r of checked) {
    problems.push(...r.problems);
    const name = get(r.value, ["metadata", "name"]);
    if (typeof name !== "string" || !r.locator) continue;
    const owner = owners.get(name);
    if (owner === undefined) owners.set(name, r.file);
    else {
      problems.push(
        r.locator.problem(
          ["metadata", "name"],
          `${JSON.stringify(name)} is already used by ${owner}; scenario names must be unique`,
        ),
      );
      r.scenario = undefined;
    }
  }
  const scenarios = checked.flatMap((r) => (r.scenario ? [r.scenario] : []));
  return { scenarios, problems, files: checked.map((r) => r.file) };
}

function appliedFiles(r: FileResult, cwd: string): string[] {
  const out: string[] = [];
  for (const { type, params } of typedSpecs(r.value)) {
    if (type === "apply" && typeof params.path === "string") out.push(resolve(cwd, r.file, "..", params.path));
  }
  return out;
}

/** A Kubernetes object rather than a (possibly broken) scenario. */
function isForeign(value: unknown): boolean {
  if (!isMapValue(value) || typeof value.kind !== "string" || value.kind === "Scenario") return false;
  return !(typeof value.apiVersion === "string" && value.apiVersion.startsWith("kubedrill.io/"));
}

function sortProblems(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
