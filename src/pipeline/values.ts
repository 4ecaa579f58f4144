import { resolve } from "node:path";
import { UsageError, type SourceProblem } from "../errors.ts";
import type { GivenValue } from "../scenario/declared.ts";
import { parseYaml } from "../scenario/source.ts";
import { isMapValue } from "../scenario/typed.ts";
import { reshown, type SourceFiles } from "./source-files.ts";

/** Values for scenario variables from the command line: `--values FILE` (repeatable), then `--set k=v` (repeatable). */
export interface VariableInput {
  set?: readonly string[];
  values?: readonly string[];
}

/**
 * Reads `--values` files (YAML maps of name to a string, number or boolean; located
 * problems otherwise) and `--set name=value` pairs, in the order they take effect: every
 * values file in order, then every --set, so the last one given wins (as with Helm). A
 * --set without `=` is a usage error.
 */
export function givenValues(
  input: VariableInput,
  cwd: string,
  sources: SourceFiles,
): { given: GivenValue[]; problems: SourceProblem[] } {
  const given: GivenValue[] = [];
  const problems: SourceProblem[] = [];
  for (const file of input.values ?? []) {
    const absolute = resolve(cwd, file);
    const text = sources.text(absolute);
    const at = (message: string): SourceProblem => ({ file, line: 1, column: 1, field: "", message });
    if ("missing" in text) problems.push(at("--values: no such file"));
    else if ("notFile" in text) problems.push(at("--values: not a file"));
    else if ("unreadable" in text) problems.push(at(`--values: cannot read the file: ${text.unreadable}`));
    else if ("invalid" in text) problems.push(reshown(text.invalid, absolute, file));
    else {
      const parsed = parseYaml(text.text, file);
      problems.push(...parsed.problems);
      const docs = parsed.documents.filter((d) => !d.empty);
      const doc = docs[0];
      if (parsed.problems.length > 0 || !doc) {
        if (!doc && parsed.problems.length === 0) problems.push(at("is empty; expected a map of variable: value"));
        continue;
      }
      if (docs.length > 1)
        problems.push({ ...at("holds several YAML documents; a values file holds one map"), ...docs[1]!.start });
      if (!isMapValue(doc.value)) {
        problems.push({ ...at("must be a map of variable: value"), ...doc.start });
        continue;
      }
      for (const [name, value] of Object.entries(doc.value)) {
        const pos = doc.locator.keyAt([name]);
        if (value === null || typeof value === "object") {
          problems.push({ file, ...pos, field: name, message: "must be a string, a number or true/false" });
          continue;
        }
        given.push({ name, value, from: { file, ...pos } });
      }
    }
  }
  for (const pair of input.set ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set ${pair}: expected name=value`);
    given.push({ name: pair.slice(0, eq), value: pair.slice(eq + 1), from: { set: `--set ${pair}` } });
  }
  return { given, problems };
}
