import type { SourceProblem } from "../errors.ts";
import { scenarioNamespace, shortId } from "../util/ids.ts";
import { defaultRegistries, type Registries } from "./registries.ts";
import { ValidationError } from "../errors.ts";
import type { SkippedFile } from "../scenario/files.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Logger } from "../util/log.ts";
import { instantiate, type BuiltScenario } from "./instantiate.ts";
import { loadScenarios } from "./load.ts";
import { SourceFiles } from "./source-files.ts";
import { givenValues, type VariableInput } from "./values.ts";

/** The pipeline's result: every problem, or every scenario built. */
export interface Checked {
  /** Every problem of every stage, file by file. */
  problems: SourceProblem[];
  /** The scenario files checked, as shown. */
  files: string[];
  /** YAML files below the directories given that are not scenarios, and why (each logged). */
  skipped: SkippedFile[];
  /** The scenarios without any problem, built with a placeholder namespace (for plans). */
  built: BuiltScenario[];
  /** What they were built with; the runner binds each attempt with the same (src/engine/runner.ts). */
  runId: string;
  registries: Registries;
  sources: SourceFiles;
}

export interface CheckOptions {
  /** Relative paths are resolved against this; messages keep them as given. */
  cwd: string;
  /** Substituted for ${runId} (default: a placeholder). */
  runId?: string;
  registries?: Registries;
  sources?: SourceFiles;
  /** Gets one line per skipped file. */
  log?: Pick<Logger, "info">;
  /** Values for the scenarios' spec.variables: --values files, then --set name=value. */
  variables?: VariableInput;
}

/**
 * The one pipeline behind `validate` and `run`: load the files (each read once), parse
 * the YAML with locations, check schema and semantics, check the manifests applied, and
 * instantiate every step, probe and signal through the registries with a placeholder
 * namespace of the generated form. No cluster is touched. A scenario is accepted only
 * when no stage found a problem in it, so anything `validate` accepts, `run` accepts.
 */
export async function checkScenarios(paths: readonly string[], o: CheckOptions): Promise<Checked> {
  const sources = o.sources ?? new SourceFiles();
  const registries = o.registries ?? defaultRegistries();
  const runId = o.runId ?? "validate";
  const values = givenValues(o.variables ?? {}, o.cwd, sources);
  const loaded = await loadScenarios(paths, o.cwd, sources, values.given);
  for (const s of loaded.skipped) o.log?.info(`skipped ${s.file}: ${s.reason}`);
  const problems = [...values.problems, ...loaded.problems];
  const built: BuiltScenario[] = [];
  for (const f of loaded.files) {
    problems.push(...f.problems);
    if (!f.scenario) continue;
    try {
      built.push(placeholder(f.scenario, { runId, registries, sources }));
    } catch (err) {
      if (err instanceof ValidationError) problems.push(...err.problems);
      else throw err;
    }
  }
  return {
    problems,
    files: loaded.files.map((f) => f.file),
    skipped: loaded.skipped,
    built,
    runId,
    registries,
    sources,
  };
}

/**
 * Stage 3 alone, for scenarios that are already models (tests, the engine's own callers):
 * builds each with a placeholder namespace; throws one ValidationError listing every problem.
 */
export function buildScenarios(
  scenarios: readonly Scenario[],
  o: { runId: string; registries?: Registries; sources?: SourceFiles },
): BuiltScenario[] {
  const bindings = {
    runId: o.runId,
    registries: o.registries ?? defaultRegistries(),
    sources: o.sources ?? new SourceFiles(),
  };
  const problems: SourceProblem[] = [];
  const built: BuiltScenario[] = [];
  for (const s of scenarios) {
    try {
      built.push(placeholder(s, bindings));
    } catch (err) {
      if (err instanceof ValidationError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return built;
}

function placeholder(s: Scenario, b: { runId: string; registries: Registries; sources: SourceFiles }): BuiltScenario {
  return instantiate(s, { ...b, namespace: scenarioNamespace(s.metadata.name, shortId()) });
}
