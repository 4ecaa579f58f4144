import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Ajv, Options, ValidateFunction } from "ajv";
import { FORMATS } from "./formats.ts";

// Synchronous loading (schema checks are synchronous) that stays lazy: Ajv's compiler is
// loaded only when the precompiled validator cannot be used.
const requireCjs = createRequire(import.meta.url);

/**
 * Where `npm run build` writes the precompiled validator: beside the compiled
 * dist/src/scenario/validator.js. There is none beside the sources.
 */
export const PRECOMPILED_VALIDATOR = fileURLToPath(new URL("./scenario-validator.generated.cjs", import.meta.url));

/** Ajv's options for the scenario schema, at run time and when the validator is precompiled. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true } as const satisfies Options;

/** A format as Ajv takes it: formats.ts says why a value is invalid, Ajv only needs whether. */
export interface AjvFormat {
  type: "string";
  validate: (value: string) => boolean;
}

export const AJV_FORMATS: Record<string, AjvFormat> = Object.fromEntries(
  Object.entries(FORMATS).map(([name, check]) => [
    name,
    { type: "string", validate: (v: string) => check(v) === undefined },
  ]),
);

/**
 * What a validator is made from: the schema, Ajv's options and the names of the formats
 * (their code is not part of a precompiled validator: it is passed in when it is loaded).
 */
export function validatorKey(schema: object): string {
  const made = { options: AJV_OPTIONS, formats: Object.keys(FORMATS), schema };
  return createHash("sha256").update(JSON.stringify(made)).digest("hex");
}

/** An Ajv instance with the options and formats of scenario validation. */
export function scenarioAjv(extra: Options = {}): Ajv {
  const { Ajv } = requireCjs("ajv") as typeof import("ajv");
  const ajv = new Ajv({ ...AJV_OPTIONS, ...extra });
  for (const [name, format] of Object.entries(AJV_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** What a precompiled validator module (validator-code.ts writes it) exports. */
export interface PrecompiledValidator {
  /** validatorKey() of what it was generated from. */
  key: string;
  create(formats: Record<string, AjvFormat>): ValidateFunction;
}

export type LoadedValidator =
  { validate: ValidateFunction; from: "precompiled" } | { validate: ValidateFunction; from: "compiled"; why: string };

/**
 * The validator of `schema`: the precompiled module at `file` (a CommonJS file `npm run
 * build` writes into dist/) when it was generated from this very schema, else one Ajv
 * compiles now. Both report the same errors; the precompiled one saves the compilation.
 * A module generated from another schema (stale) or that cannot be loaded is never used;
 * `why` says what was compiled instead.
 */
export function loadValidator(schema: object, file: string): LoadedValidator {
  let why: string;
  try {
    const precompiled = requireCjs(file) as PrecompiledValidator;
    const key = validatorKey(schema);
    if (precompiled.key === key) return { validate: precompiled.create(AJV_FORMATS), from: "precompiled" };
    why = `${file} was generated from another schema (key ${String(precompiled.key).slice(0, 12)}, not ${key.slice(0, 12)})`;
  } catch (err) {
    // Running from the sources (nothing is precompiled there), or a damaged file.
    why =
      (err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && !existsSync(file)
        ? `no precompiled validator at ${file}`
        : `cannot load ${file}: ${(err as Error).message}`;
  }
  return { validate: scenarioAjv().compile(schema), from: "compiled", why };
}
