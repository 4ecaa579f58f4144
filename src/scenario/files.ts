import { readdir, realpath, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { SourceProblem } from "../errors.ts";

export interface FoundFile {
  /** As the user wrote it, or joined onto the directory they named. */
  path: string;
  /** Named directly (always loaded) rather than found in a directory. */
  explicit: boolean;
}

/** A YAML file (or link) below a directory that is not checked, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

const YAML = /\.ya?ml$/i;

/**
 * Expands files and directories into YAML files: a directory yields every *.yaml and
 * *.yml below it, sorted; each file appears once. A path that does not exist is a problem.
 * A symbolic link below a directory is followed when it leads to a file inside the
 * directory named; one that leads outside it, or nowhere, is a problem; a linked
 * directory is skipped (listed in `skipped`), so that no tree is walked twice or forever.
 */
export async function scenarioFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: FoundFile[]; problems: SourceProblem[]; skipped: SkippedFile[] }> {
  const found = { files: [] as FoundFile[], problems: [] as SourceProblem[], skipped: [] as SkippedFile[] };
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    const key = resolve(cwd, path);
    if (seen.has(key)) return;
    seen.add(key);
    found.files.push({ path, explicit });
  };
  for (const path of paths) {
    const info = await stat(resolve(cwd, path)).catch(() => undefined);
    if (!info) found.problems.push(problem(path, "no such file or directory"));
    else if (info.isDirectory()) {
      const root = { real: await realpath(resolve(cwd, path)), shown: path };
      for (const f of await walk(resolve(cwd, path), path, root, found)) add(f, false);
    } else add(path, true);
  }
  return found;
}

const problem = (file: string, message: string): SourceProblem => ({ file, line: 1, column: 1, field: "", message });

async function walk(
  absolute: string,
  shown: string,
  root: { real: string; shown: string },
  found: { problems: SourceProblem[]; skipped: SkippedFile[] },
): Promise<string[]> {
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const path = join(shown, e.name);
    if (e.isDirectory()) out.push(...(await walk(join(absolute, e.name), path, root, found)));
    else if (e.isFile() && YAML.test(e.name)) out.push(path);
    else if (e.isSymbolicLink()) {
      const target = await realpath(join(absolute, e.name)).catch(() => undefined);
      const info = target ? await stat(target).catch(() => undefined) : undefined;
      if (!target || !info) {
        if (YAML.test(e.name)) found.problems.push(problem(path, "is a symbolic link that leads nowhere"));
      } else if (info.isDirectory()) {
        found.skipped.push({ file: path, reason: "a symbolic link to a directory (not followed; name it directly)" });
      } else if (info.isFile() && (YAML.test(e.name) || YAML.test(target))) {
        if (target.startsWith(root.real + sep)) out.push(path);
        else
          found.problems.push(
            problem(
              path,
              `is a symbolic link to ${target}, outside ${root.shown}; refused (name the file directly to check it)`,
            ),
          );
      }
    }
  }
  return out;
}
