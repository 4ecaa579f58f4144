import { unknownVariables, VARIABLES } from "../sdk/substitute.ts";
import type { Seg } from "./source.ts";
import { closest } from "./suggest.ts";
import { isPlainObject as isMapValue } from "../sdk/objects.ts";

/**
 * Keys whose text a program reads (a command's argv and environment, a container's command
 * and args, a ConfigMap's or Secret's data): `${HOME}` there is the program's own syntax,
 * which kubedrill leaves as written, so it is not refused.
 */
const PROGRAM_TEXT = new Set(["run", "env", "command", "args", "data", "stringData", "binaryData"]);

/**
 * Reports every `${name}` kubedrill does not substitute (${namespace}, ${runId},
 * ${provisioner}, ${authRegistry} and the scenario's own `declared` variables exist) in the strings below
 * `value`, at `path`, with a suggestion for a typo.
 */
export function variableProblems(
  value: unknown,
  path: Seg[],
  report: (path: Seg[], message: string) => void,
  declared: readonly string[] = [],
): void {
  const known = [...VARIABLES, ...declared];
  if (typeof value === "string") {
    for (const written of unknownVariables(value).filter((w) => !declared.includes(w.slice(2, -1)))) {
      const near = closest(written.slice(2, -1), known);
      report(
        path,
        `uses ${written}, which kubedrill does not substitute${near ? ` (did you mean "\${${near}}"?)` : ""}; the variables are ${known.map((v) => `\${${v}}`).join(", ")}`,
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => variableProblems(v, [...path, i], report, declared));
  } else if (isMapValue(value)) {
    for (const [k, v] of Object.entries(value))
      if (!PROGRAM_TEXT.has(k)) variableProblems(v, [...path, k], report, declared);
  }
}
