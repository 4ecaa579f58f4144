import type { ErrorObject, ValidateFunction } from "ajv";
import type { SourceProblem } from "../errors.ts";
import { scenarioSchema, typedMapKind, TYPES } from "./catalogue.ts";
import type { SpecKind } from "./catalogue.ts";
import { FORMATS } from "./formats.ts";
import type { Locator, Seg } from "./source.ts";
import { closest, hint } from "./suggest.ts";
import { get } from "./typed.ts";
import { loadValidator, PRECOMPILED_VALIDATOR, type LoadedValidator } from "./validator.ts";

let loaded: LoadedValidator | undefined;

/** The validator of the scenario schema, loaded on first use: precompiled by the build when it is current. */
export function schemaValidator(): LoadedValidator {
  loaded ??= loadValidator(scenarioSchema, PRECOMPILED_VALIDATOR);
  return loaded;
}

/**
 * Validates a parsed scenario against the generated schema (catalogue.ts); Ajv's errors
 * become located, human problems. `validate` is for tests: another validator of the schema.
 */
export function schemaProblems(
  value: unknown,
  locator: Locator,
  validate: ValidateFunction = schemaValidator().validate,
): SourceProblem[] {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A wrong type makes every other complaint about the same value noise.
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const problems: SourceProblem[] = [];
  for (const e of errors) {
    if (e.keyword !== "type" && e.keyword !== "required" && typeErrorAt.has(e.instancePath)) continue;
    // Steps, probes and signals are maps keyed by type (not a oneOf of alternatives), so
    // an unknown type is one additionalProperties error; umbrella errors add nothing.
    if (e.keyword === "if" || e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "propertyNames") continue;
    if (e.propertyName !== undefined) {
      // A map key (a variable's name) breaks its pattern: shown at the key.
      const at = [...pointerToPath(e.instancePath), e.propertyName];
      problems.push(
        locator.problem(
          at,
          `${JSON.stringify(e.propertyName)} is not a valid name: it must start with a letter and hold only letters, digits and _`,
          { key: true },
        ),
      );
      continue;
    }
    problems.push(translate(e, pointerToPath(e.instancePath), locator));
  }
  return problems;
}

function translate(e: ErrorObject, path: Seg[], locator: Locator): SourceProblem {
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const typed = typedMapKind(parent);
  const data: unknown = e.data;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return locator.problem(path, "is required", { field: [...path, String(params.missingProperty)] });
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const at = [...path, name];
      if (typed) return locator.problem(at, unknownType(typed, name), { key: true, field: path });
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      return locator.problem(at, `unknown field ${JSON.stringify(name)}${hint(name, known)}`, {
        key: true,
        field: path,
      });
    }
    case "minProperties":
    case "maxProperties":
      if (typed) return locator.problem(path, oneKeyMessage(typed, data));
      return locator.problem(
        path,
        `must have ${e.keyword === "minProperties" ? "at least" : "at most"} ${String(params.limit)} field(s)`,
      );
    case "type":
      if (path.length === 0)
        return locator.problem(
          path,
          `a scenario file must hold a map with apiVersion, kind, metadata and spec (got ${describe(data)})`,
        );
      return locator.problem(path, typeMessage(parent, typed, String(params.type), data));
    case "const":
      return locator.problem(path, `must be ${JSON.stringify(params.allowedValue)} (got ${describe(data)})`);
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      const near = typeof data === "string" ? closest(data, allowed) : undefined;
      if (isCapabilityItem(path))
        return locator.problem(
          path,
          `unknown capability ${describe(data)}${near ? ` (did you mean "${near}"?)` : ""}; known: ${allowed.join(", ")} (docs/reference.md, "Cluster capabilities", says what each means and which provider has it)`,
        );
      return locator.problem(
        path,
        `must be one of: ${allowed.join(", ")} (got ${describe(data)}${near ? `; did you mean "${near}"?` : ""})`,
      );
    }
    case "format": {
      const check = FORMATS[String(params.format)];
      return locator.problem(
        path,
        (check && typeof data === "string" && check(data)) || `must be a ${String(params.format)}`,
      );
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return locator.problem(
        path,
        `must be ${String(params.comparison)} ${String(params.limit)} (got ${describe(data)})`,
      );
    case "minItems":
      return locator.problem(
        path,
        params.limit === 1
          ? "must not be empty (a list with at least one item)"
          : `must have at least ${String(params.limit)} items`,
      );
    case "minLength":
      return locator.problem(path, "must not be empty");
    case "uniqueItems": {
      const [first, again] = [Number(params.i), Number(params.j)].sort((a, b) => a - b) as [number, number];
      return locator.problem(
        [...path, again],
        `repeats item ${first} (${describe(get(data, [again]))}); items must be unique`,
      );
    }
    case "pattern":
      if (params.pattern === "^/") return locator.problem(path, `must start with "/" (got ${describe(data)})`);
      return locator.problem(path, `must match /${String(params.pattern)}/ (got ${describe(data)})`);
    default:
      return locator.problem(path, e.message ?? `is invalid (${e.keyword})`);
  }
}

/** spec.requires.capabilities[i] */
const isCapabilityItem = (path: Seg[]) =>
  path.length === 4 && path.slice(0, 3).join(".") === "spec.requires.capabilities" && typeof path[3] === "number";

function unknownType(kind: SpecKind, name: string): string {
  const elsewhere = (Object.keys(TYPES) as SpecKind[]).find((k) => k !== kind && TYPES[k].includes(name));
  const note =
    elsewhere === "probe" && kind === "step"
      ? `; to wait for it use wait: { for: [{ ${name}: ... }], timeout: ... }`
      : "";
  return `unknown ${kind} type ${JSON.stringify(name)}${elsewhere ? ` (${name} is a ${elsewhere} type${note})` : hint(name, TYPES[kind])}`;
}

function oneKeyMessage(kind: SpecKind, data: unknown): string {
  const keys = data && typeof data === "object" ? Object.keys(data) : [];
  if (keys.length === 0)
    return `is an empty map; a ${kind} is a map with one key naming its type (one of: ${TYPES[kind].join(", ")})`;
  return `has ${keys.length} keys (${keys.join(", ")}); a ${kind} is a map with exactly one key naming its type: write each ${kind} as its own list item`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a map",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  null: "null",
};

function typeMessage(
  parent: Record<string, unknown> | undefined,
  typed: SpecKind | undefined,
  type: string,
  data: unknown,
): string {
  const got = `(got ${describe(data)})`;
  if (typed) return `must be a map with one key naming the ${typed} type, e.g. { ${TYPES[typed][0]}: {...} } ${got}`;
  if (parent?.format === "duration") return `must be a duration string such as 30s or 2m ${got}`;
  if (Array.isArray(parent?.enum)) {
    const allowed = parent.enum.map((v) => JSON.stringify(v)).join(", ");
    const spelled = parent.enum.find((v) => String(v).toLowerCase() === String(data).toLowerCase());
    const quote = spelled !== undefined && typeof data !== "string" ? `; quote it: ${JSON.stringify(spelled)}` : "";
    return `must be one of ${allowed} ${got.slice(0, -1)}${quote})`;
  }
  return `must be ${type
    .split(",")
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(" or ")} ${got}`;
}

/** A short description of a value for messages: `"text"`, `30`, `a list`, `nothing`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function pointerToPath(pointer: string): Seg[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
