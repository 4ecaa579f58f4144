import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";

interface FoundFile {
  /** As the user wrote it, or joined onto the directory they named. */
  path: string;
  /** Named directly (always loaded) rather than found in a directory. */
  explicit: boolean;
}

const YAML = /\.ya?ml$/i;

/**
 * Expands files and directories into YAML files: a directory yields every *.yaml and
 * *.yml below it, sorted; each file appears once. A path that does not exist is a problem.
 */
export async function scenarioFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: FoundFile[]; problems: SourceProblem[] }> {
  const files: FoundFile[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    const key = resolve(cwd, path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path, explicit });
  };
  for (const path of paths) {
    const info = await stat(resolve(cwd, path)).catch(() => undefined);
    if (!info) problems.push({ file: path, line: 1, column: 1, field: "", message: "no such file or directory" });
    else if (info.isDirectory()) for (const f of await walk(resolve(cwd, path), path)) add(f, false);
    else add(path, true);
  }
  return { files, problems };
}

async function walk(absolute: string, shown: string): Promise<string[]> {
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    if (e.isDirectory()) out.push(...(await walk(join(absolute, e.name), join(shown, e.name))));
    else if (e.isFile() && YAML.test(e.name)) out.push(join(shown, e.name));
  }
  return out;
}
