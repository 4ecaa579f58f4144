import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { loadScenarios } from "../pipeline/load.ts";
import { SourceFiles } from "../pipeline/source-files.ts";
import { closest } from "../scenario/suggest.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";

/** The scenarios shipped with kubedrill (the package's scenarios/ folder). */
export const BUNDLED_DIR = join(PACKAGE_ROOT, "scenarios");

/** A scenario name as users type it (`quota-exhaustion`): a DNS label, not a path. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * What `run` and `validate` check when no path is given: ./scenarios/ when the current
 * folder has one, else the scenarios shipped with kubedrill (so a global install works
 * from any folder).
 */
export function defaultScenarioPaths(cwd: string): string[] {
  return isDir(resolve(cwd, "scenarios")) ? ["scenarios/"] : [BUNDLED_DIR];
}

/**
 * Turns scenario names into files: an argument that exists is kept as it is; one that
 * does not and looks like a name is looked up by metadata.name (or file name) in
 * ./scenarios/ and then in the shipped scenarios. Throws a UsageError naming the known
 * scenarios (and the closest one) when a name matches nothing.
 */
export async function resolveScenarioArgs(args: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  let known: Map<string, string> | undefined;
  for (const arg of args) {
    if (existsSync(resolve(cwd, arg)) || !NAME.test(arg)) {
      out.push(arg);
      continue;
    }
    known ??= await scenarioNames(cwd);
    const file = known.get(arg);
    if (!file) {
      const names = [...known.keys()].sort();
      const near = closest(arg, names);
      throw new UsageError(
        `${arg}: no such file, and no scenario of that name${near ? ` (did you mean "${near}"?)` : ""}; known scenarios: ${names.join(", ")}`,
      );
    }
    out.push(file);
  }
  return out;
}

/** Scenario name (and file name without .yaml) -> file, ./scenarios/ first, then the shipped ones. */
async function scenarioNames(cwd: string): Promise<Map<string, string>> {
  const dirs = [resolve(cwd, "scenarios"), BUNDLED_DIR].filter(isDir);
  const names = new Map<string, string>();
  for (const dir of dirs) {
    const loaded = await loadScenarios([dir], cwd, new SourceFiles());
    for (const f of loaded.files) {
      const file = resolve(cwd, f.file);
      const base = /([^/\\]+)\.ya?ml$/i.exec(file)?.[1];
      if (f.scenario && !names.has(f.scenario.metadata.name)) names.set(f.scenario.metadata.name, file);
      if (base && !names.has(base)) names.set(base, file);
    }
  }
  return names;
}
