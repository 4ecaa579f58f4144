import { ValidationError } from "../errors.ts";
import type { SourceLoc } from "../scenario/types.ts";
import { durationProblem, MAX_DURATION_MS, parseDuration } from "../util/duration.ts";
import { isPlainObject } from "./objects.ts";

/**
 * Typed access to a step/probe/signal's params. The loader has already validated them
 * against the JSON Schema; these checks repeat what the engine relies on, and fail with
 * `file:line:col: field message` like the loader does.
 */
export class Params {
  constructor(
    readonly values: Record<string, unknown>,
    readonly loc: SourceLoc,
  ) {}

  fail(key: string, message: string): never {
    const field = key ? `${this.loc.field}.${key}` : this.loc.field;
    throw new ValidationError([{ file: this.loc.file, line: this.loc.line, column: this.loc.column, field, message }]);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  str(key: string): string {
    const v = this.values[key];
    if (typeof v !== "string" || v === "") this.fail(key, `must be a non-empty string (got ${JSON.stringify(v)})`);
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  num(key: string, min = 0): number {
    const v = this.values[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min)
      this.fail(key, `must be a number >= ${min} (got ${JSON.stringify(v)})`);
    return v;
  }

  optNum(key: string, min = 0): number | undefined {
    return this.has(key) ? this.num(key, min) : undefined;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.values[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") this.fail(key, `must be true or false (got ${JSON.stringify(v)})`);
    return v;
  }

  /** Milliseconds from a number (already converted by the loader) or a duration string. */
  durationMs(key: string, fallback: number): number {
    const v = this.values[key] ?? this.values[`${key}Ms`];
    if (v === undefined || v === null) return fallback;
    if (typeof v === "number" && v >= 0 && v <= MAX_DURATION_MS) return v;
    if (typeof v === "string") {
      const problem = durationProblem(v);
      if (problem) this.fail(key, problem);
      return parseDuration(v)!;
    }
    this.fail(key, `must be a duration like 30s or 500ms, at most 24h (got ${JSON.stringify(v)})`);
  }

  strArray(key: string): string[] {
    const v = this.values[key];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string"))
      this.fail(key, "must be a non-empty list of strings");
    return v as string[];
  }

  obj(key: string): Record<string, unknown> {
    const v = this.values[key];
    if (!isPlainObject(v)) this.fail(key, `must be a map (got ${JSON.stringify(v)})`);
    return v;
  }

  /** A regular expression source; fails here (not at run time) when it does not compile. */
  regex(key: string): RegExp | undefined {
    const src = this.optStr(key);
    if (src === undefined) return undefined;
    try {
      return new RegExp(src);
    } catch (err) {
      this.fail(key, `is not a valid regular expression: ${(err as Error).message}`);
    }
  }

  /** A label selector: a string, or a map of labels (matchLabels). */
  selector(key: string): string {
    const v = this.values[key];
    if (typeof v === "string" && v.trim() !== "") return v;
    if (isPlainObject(v) && Object.keys(v).length > 0)
      return Object.entries(v)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(",");
    this.fail(key, `must be a label selector such as "app=web" (got ${JSON.stringify(v)})`);
  }

  /** Params of a nested object, located under this one's field. */
  nested(key: string): Params {
    return new Params(this.obj(key), { ...this.loc, field: `${this.loc.field}.${key}` });
  }
}
