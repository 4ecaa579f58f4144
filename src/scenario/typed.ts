import type { SpecKind } from "./catalogue.ts";
import { isKnownType } from "./catalogue.ts";
import type { Seg } from "./source.ts";

/** A well-formed one-key map `{ <type>: params }` found in a parsed scenario. */
export interface RawTyped {
  kind: SpecKind;
  /** Path of the one-key map (not of its params). */
  path: Seg[];
  type: string;
  params: Record<string, unknown>;
}

/** Where lists of steps, probes and signals live in a scenario. */
const TYPED_LISTS: readonly { path: readonly string[]; kind: SpecKind }[] = [
  { path: ["spec", "setup", "steps"], kind: "step" },
  { path: ["spec", "setup", "waitFor"], kind: "probe" },
  { path: ["spec", "steadyState"], kind: "probe" },
  { path: ["spec", "abortWhen"], kind: "probe" },
  { path: ["spec", "fault"], kind: "step" },
  { path: ["spec", "detect", "signals"], kind: "signal" },
  { path: ["spec", "remediate", "steps"], kind: "step" },
  { path: ["spec", "recover", "probes"], kind: "probe" },
  { path: ["spec", "recover", "rpo"], kind: "probe" },
];

export function isMapValue(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function get(value: unknown, path: readonly Seg[]): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === "number" ? !Array.isArray(v) : !isMapValue(v)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/**
 * Every step, probe and signal of a known type whose params are a map, including
 * the probes nested in `wait.for` and `probeFails.probe`. Malformed ones are left
 * to the schema check.
 */
export function* typedSpecs(scenario: unknown): Generator<RawTyped> {
  for (const list of TYPED_LISTS) {
    const items = get(scenario, list.path);
    if (!Array.isArray(items)) continue;
    for (const [i, item] of items.entries()) yield* typedAt(item, [...list.path, i], list.kind);
  }
}

function* typedAt(item: unknown, path: Seg[], kind: SpecKind): Generator<RawTyped> {
  if (!isMapValue(item)) return;
  const keys = Object.keys(item);
  if (keys.length !== 1 || !isKnownType(kind, keys[0]!)) return;
  const type = keys[0]!;
  const params = item[type];
  if (!isMapValue(params)) return;
  yield { kind, path, type, params };
  if (kind === "step" && type === "wait" && Array.isArray(params.for)) {
    for (const [i, probe] of params.for.entries()) yield* typedAt(probe, [...path, type, "for", i], "probe");
  }
  if (kind === "signal" && type === "probeFails") yield* typedAt(params.probe, [...path, type, "probe"], "probe");
}
