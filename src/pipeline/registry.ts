import { ValidationError, type SourceProblem } from "../errors.ts";
import type { SourceLoc, TypedSpec } from "../scenario/types.ts";
import { isPlainObject } from "../sdk/objects.ts";
import { substitute } from "../sdk/substitute.ts";
import type { BuildEnv, Factory } from "../sdk/types.ts";
import type { Plugin } from "../sdk/plugin.ts";

/**
 * Maps scenario `type:` names to factories. create() substitutes ${namespace}/${runId}
 * in the params, calls the factory (which validates its params) and turns any failure
 * into a ValidationError located at the spec.
 */
export class Registry<T, P extends Plugin = Plugin> {
  readonly #factories = new Map<string, Factory<T>>();
  readonly #plugins = new Map<string, P>();

  constructor(readonly what: "step" | "probe" | "signal") {}

  register(type: string, factory: Factory<T>): this {
    this.#factories.set(type, factory);
    return this;
  }

  /** Registers a plug-in module's definition (src/sdk/plugin.ts) under its name. */
  add(plugin: P & { create: Factory<T> }): this {
    if (plugin.kind !== this.what) throw new Error(`${plugin.name} is a ${plugin.kind}, not a ${this.what}`);
    this.#plugins.set(plugin.name, plugin);
    return this.register(plugin.name, plugin.create);
  }

  /** The definition registered for a type (undefined for a bare factory). */
  plugin(type: string): P | undefined {
    return this.#plugins.get(type);
  }

  /** Every registered definition, in registration order. */
  plugins(): P[] {
    return [...this.#plugins.values()];
  }

  has(type: string): boolean {
    return this.#factories.has(type);
  }

  types(): string[] {
    return [...this.#factories.keys()].sort();
  }

  create(spec: TypedSpec, env: Omit<BuildEnv, "loc">): T {
    const factory = this.#factories.get(spec.type);
    if (!factory)
      throw problemAt(spec.loc, `unknown ${this.what} type "${spec.type}" (known: ${this.types().join(", ")})`);
    try {
      return factory(substitute(spec.params ?? {}, env), { ...env, loc: spec.loc });
    } catch (err) {
      if (err instanceof ValidationError) throw err;
      throw problemAt(spec.loc, `(${spec.type}) ${(err as Error).message}`, err);
    }
  }
}

function problemAt(loc: SourceLoc, message: string, cause?: unknown): ValidationError {
  const problem: SourceProblem = { file: loc.file, line: loc.line, column: loc.column, field: loc.field, message };
  return new ValidationError([problem], cause === undefined ? {} : { cause });
}

/**
 * A nested spec (`wait.for[i]`, `probeFails.probe`) as a TypedSpec: either already one
 * ({ type, params, loc }) or the YAML form, a one-key map { <type>: { ...params } }.
 */
export function nestedSpec(raw: unknown, parent: SourceLoc, field: string): TypedSpec {
  const loc: SourceLoc = { ...parent, field: `${parent.field}.${field}` };
  if (isPlainObject(raw) && typeof raw.type === "string" && (raw.params === undefined || isPlainObject(raw.params))) {
    const l = isPlainObject(raw.loc) ? (raw.loc as unknown as SourceLoc) : loc;
    return { type: raw.type, params: (raw.params as Record<string, unknown>) ?? {}, loc: l };
  }
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    const [type] = keys;
    if (keys.length === 1 && type) {
      const params = raw[type] ?? {};
      if (!isPlainObject(params)) throw problemAt(loc, `${type} must be a map of parameters`);
      return { type, params, loc: { ...loc, field: `${loc.field}.${type}` } };
    }
  }
  throw problemAt(loc, "must be a one-key map such as { podsReady: { selector: app=web } }");
}
