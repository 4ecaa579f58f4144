import type { SourceProblem } from "../errors.ts";
import { VARIABLES } from "../sdk/substitute.ts";
import { fieldOf, type Locator, type Seg } from "./source.ts";
import { isMapValue } from "./typed.ts";

/**
 * A scenario's own parameters (`spec.variables`): declared with a type and an optional
 * default, set with `--set name=value` or a `--values` file, and substituted into the
 * scenario document before the schema sees it. `${name}` written as a whole value becomes
 * the typed value (`replicas: ${replicas}` is an integer); inside text it becomes its text.
 */

export type VariableType = "string" | "integer" | "number" | "boolean";
export type VariableValue = string | number | boolean;

export const VARIABLE_TYPES: readonly VariableType[] = ["string", "integer", "number", "boolean"];
/** Names a declared variable may take (the `${name}` syntax kubedrill substitutes). */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A value given from outside the file: where it came from decides where a problem is shown. */
export interface GivenValue {
  name: string;
  /** Text from --set; the YAML value from a --values file. */
  value: unknown;
  /** `--set name=value` as written, or the value's place in a --values file. */
  from: { set: string } | { file: string; line: number; column: number };
}

interface Declared {
  name: string;
  type: VariableType;
  default?: unknown;
}

export interface Applied {
  /** The document with every resolved variable substituted (the input is not changed). */
  value: unknown;
  /** Declared names (whether or not they resolved). */
  declared: string[];
  /** Every variable's value, for the plan and the model. */
  values: Record<string, VariableValue>;
  problems: SourceProblem[];
  /**
   * Fields still holding a declared variable without a valid value, or a `${name}` nobody
   * declared: the variable's problem is said once, so the schema stays quiet there.
   */
  unresolved: Set<string>;
}

const PATH: Seg[] = ["spec", "variables"];

/**
 * Reads `spec.variables`, resolves each from `given` (the last value given wins) or its
 * default, checks types, and substitutes the values into `spec` (not into the declarations).
 * A malformed declaration is left to the schema check.
 */
export function applyVariables(doc: unknown, locator: Locator, given: readonly GivenValue[] = []): Applied {
  const declarations = readDeclarations(doc);
  const problems: SourceProblem[] = [];
  const values: Record<string, VariableValue> = {};
  for (const d of declarations) {
    const at = [...PATH, d.name];
    if (VARIABLES.includes(d.name)) {
      problems.push(
        locator.problem(at, `\${${d.name}} is set by kubedrill; name the variable differently`, { key: true }),
      );
      continue;
    }
    if (d.default !== undefined) {
      const wrong = typeProblem(d.type, d.default);
      if (wrong) problems.push(locator.problem([...at, "default"], wrong));
    }
    const set = given.filter((g) => g.name === d.name).at(-1);
    if (set) {
      const converted = "set" in set.from ? fromText(d.type, String(set.value)) : set.value;
      const wrong = typeProblem(d.type, converted);
      if (!wrong) values[d.name] = converted as VariableValue;
      else if ("set" in set.from) problems.push(locator.problem(at, `${set.from.set}: ${wrong}`, { key: true }));
      else
        problems.push({
          file: set.from.file,
          line: set.from.line,
          column: set.from.column,
          field: d.name,
          message: `${wrong} (the type declared at ${locator.file}:${locator.keyAt(at).line})`,
        });
    } else if (d.default !== undefined) {
      if (!typeProblem(d.type, d.default)) values[d.name] = d.default as VariableValue;
    } else {
      problems.push(
        locator.problem(at, `is required (no default): set it with --set ${d.name}=VALUE or in a --values file`, {
          key: true,
        }),
      );
    }
  }
  const unresolved = new Set<string>();
  const declared = declarations.map((d) => d.name);
  const value = substituteDoc(doc, values, unresolved);
  return { value, declared, values, problems, unresolved };
}

/** The declarations well-formed enough to use: a valid name and a known type. */
function readDeclarations(doc: unknown): Declared[] {
  const vars = isMapValue(doc) && isMapValue(doc.spec) ? doc.spec.variables : undefined;
  if (!isMapValue(vars)) return [];
  const out: Declared[] = [];
  for (const [name, d] of Object.entries(vars)) {
    if (!VARIABLE_NAME.test(name) || !isMapValue(d)) continue;
    if (!VARIABLE_TYPES.includes(d.type as VariableType)) continue;
    out.push({ name, type: d.type as VariableType, ...(d.default !== undefined ? { default: d.default } : {}) });
  }
  return out;
}

/** What is wrong with `value` for `type`, or undefined. */
export function typeProblem(type: VariableType, value: unknown): string | undefined {
  const ok =
    type === "string"
      ? typeof value === "string"
      : type === "boolean"
        ? typeof value === "boolean"
        : type === "integer"
          ? Number.isSafeInteger(value)
          : typeof value === "number" && Number.isFinite(value);
  if (ok) return undefined;
  const expected = { string: "a string", integer: "an integer", number: "a number", boolean: "true or false" }[type];
  const got = typeof value === "string" ? JSON.stringify(value) : isMapValue(value) ? "a map" : String(value);
  const quote = type === "string" && ["number", "boolean"].includes(typeof value) ? `; quote it: "${got}"` : "";
  return `must be ${expected} (got ${Array.isArray(value) ? "a list" : got}${quote})`;
}

/** A --set text as the declared type (left as text when it is not one, for typeProblem to say so). */
function fromText(type: VariableType, text: string): unknown {
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (type === "integer") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (type === "number") return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
  return text;
}

/** `spec` with the variables substituted; `spec.variables` and everything else as written. */
function substituteDoc(doc: unknown, values: Record<string, VariableValue>, unresolved: Set<string>): unknown {
  if (!isMapValue(doc) || !isMapValue(doc.spec)) return doc;
  const walk = (v: unknown, path: Seg[]): unknown => {
    if (typeof v === "string") return substituteText(v, values, () => unresolved.add(fieldOf(path)));
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isMapValue(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  const spec: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(doc.spec)) spec[k] = k === "variables" ? x : walk(x, ["spec", k]);
  return { ...doc, spec };
}

function substituteText(text: string, values: Record<string, VariableValue>, onUnresolved: () => void): unknown {
  if (!text.includes("${")) return text;
  const whole = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(text);
  if (whole && Object.prototype.hasOwnProperty.call(values, whole[1]!)) return values[whole[1]!];
  return text.replace(/\$\{([^}]*)\}/g, (written, name: string) => {
    if (Object.prototype.hasOwnProperty.call(values, name)) return String(values[name]);
    if (!VARIABLES.includes(name)) onUnresolved();
    return written;
  });
}
