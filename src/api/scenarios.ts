import type { SourceProblem } from "../errors.ts";
import { ValidationError } from "../errors.ts";
import { defaultScenarioPaths, resolveScenarioArgs } from "../catalogue/locate.ts";
import { checkScenarios, type Checked } from "../pipeline/check.ts";
import type { Scenario } from "../scenario/types.ts";
import { createLogger, type Logger } from "../util/log.ts";

/** What every call that reads scenario files takes. */
export interface ScenarioOptions {
  /** Relative paths resolve against this, and ./scenarios/ is looked in here (default: process.cwd()). */
  cwd?: string;
  /** Values of the scenarios' declared variables (`--set name=value`); they win over `valuesFiles`. */
  variables?: Readonly<Record<string, string | number | boolean>>;
  /** YAML files of variable values (`--values FILE`), in order. */
  valuesFiles?: readonly string[];
  /** Where progress goes; quiet unless given (createLogger() writes to stderr). */
  log?: Logger;
}

export interface Validation {
  valid: boolean;
  /** The scenario files checked. */
  files: string[];
  /** Every problem, located (file, line, column, field). */
  problems: SourceProblem[];
  /** The scenarios without a problem, as models. */
  scenarios: Scenario[];
}

/** A logger that drops everything: a library is quiet unless asked. */
export const quietLogger = (): Logger => createLogger({ write: () => {} });

/**
 * Files, folders or scenario names (`quota-exhaustion`, looked up in ./scenarios/ and then
 * in the scenarios shipped with kubedrill) as paths; none given means ./scenarios/ when it
 * exists, else the shipped scenarios. An unknown name throws a UsageError.
 */
export async function resolveScenarios(namesOrPaths: readonly string[] = [], cwd = process.cwd()): Promise<string[]> {
  return namesOrPaths.length ? resolveScenarioArgs(namesOrPaths, cwd) : defaultScenarioPaths(cwd);
}

/** The one pipeline `kubedrill validate` and `run` use; touches no cluster. */
export async function check(
  namesOrPaths: readonly string[],
  o: ScenarioOptions & { runId?: string },
): Promise<Checked & { cwd: string }> {
  const cwd = o.cwd ?? process.cwd();
  const set = Object.entries(o.variables ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  const variables = { ...(set.length ? { set } : {}), ...(o.valuesFiles ? { values: o.valuesFiles } : {}) };
  const paths = await resolveScenarios(namesOrPaths, cwd);
  const checked = await checkScenarios(paths, {
    cwd,
    log: o.log ?? quietLogger(),
    variables,
    ...(o.runId ? { runId: o.runId } : {}),
  });
  return { ...checked, cwd };
}

/** Checks scenarios as `kubedrill validate` does: schema, semantics, manifests, every plug-in's parameters. */
export async function validateScenarios(
  namesOrPaths: readonly string[] = [],
  o: ScenarioOptions = {},
): Promise<Validation> {
  const checked = await check(namesOrPaths, o);
  return {
    valid: checked.problems.length === 0,
    files: checked.files,
    problems: checked.problems,
    scenarios: checked.built.map((b) => b.scenario),
  };
}

/** The scenarios as models; throws a ValidationError (with every located problem) when any is invalid. */
export async function loadScenarios(
  namesOrPaths: readonly string[] = [],
  o: ScenarioOptions = {},
): Promise<Scenario[]> {
  const v = await validateScenarios(namesOrPaths, o);
  if (!v.valid) throw new ValidationError(v.problems);
  return v.scenarios;
}
