import schemaJson from "./schema.json" with { type: "json" };

/** The JSON Schema of scenario files (what `kubedrill schema` prints). */
export const scenarioSchema: Record<string, unknown> = schemaJson;

export type SpecKind = "step" | "probe" | "signal";

const defs = schemaJson.definitions;

/** Step, probe and signal type names, in catalogue order (from schema.json). */
export const TYPES: Record<SpecKind, readonly string[]> = {
  step: Object.keys(defs.step.properties),
  probe: Object.keys(defs.probe.properties),
  signal: Object.keys(defs.signal.properties),
};

/** The schema objects of the one-key maps, to recognise them in Ajv errors. */
export const TYPED_MAP_SCHEMAS = new Map<unknown, SpecKind>([
  [defs.step, "step"],
  [defs.probe, "probe"],
  [defs.signal, "signal"],
]);

export function isKnownType(kind: SpecKind, type: string): boolean {
  return TYPES[kind].includes(type);
}
