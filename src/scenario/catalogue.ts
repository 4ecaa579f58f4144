import { isDeepStrictEqual } from "node:util";
import { PROBES } from "../probes/index.ts";
import { SIGNALS } from "../signals/index.ts";
import { STEPS } from "../steps/index.ts";
import type { Plugin } from "../sdk/plugin.ts";
import { SHARED_DEFINITIONS } from "../sdk/schema-parts.ts";
import envelope from "./envelope.json" with { type: "json" };
import { CAPABILITIES, CAPABILITY_NAMES, providedBy } from "../providers/capabilities.ts";

export type SpecKind = "step" | "probe" | "signal";

type PluginLists = { [K in SpecKind]: readonly Plugin[] };

/** The plug-in modules of the indexes (src/steps, src/probes, src/signals), by kind. */
const PLUGINS: PluginLists = { step: STEPS, probe: PROBES, signal: SIGNALS };

const EXAMPLES: Record<SpecKind, string> = {
  step: "A step: a map with exactly one key naming its type, e.g. `{ scale: { target: {...}, replicas: 20 } }`.",
  probe: "A probe: a map with exactly one key naming its type, e.g. `{ podsReady: { selector: app=api } }`.",
  signal:
    "A detection signal: a map with exactly one key naming its type, e.g. `{ event: { reason: FailedScheduling } }`.",
};

/** The definition name of a type's params: `scaleStep`, `podsReadyProbe`. */
export const definitionName = (kind: SpecKind, type: string) => `${type}${kind[0]!.toUpperCase()}${kind.slice(1)}`;

/**
 * The JSON Schema of scenario files: the envelope (envelope.json), the shared fragments
 * (src/sdk/schema-parts.ts), and one definition per plug-in, built from its `params`.
 */
export function generateSchema(plugins: PluginLists): Record<string, unknown> {
  const typedMap = (kind: SpecKind) => ({
    type: "object",
    description: EXAMPLES[kind],
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(
      plugins[kind].map((p) => [p.name, { $ref: `#/definitions/${definitionName(kind, p.name)}` }]),
    ),
  });
  const perType = (Object.keys(plugins) as SpecKind[]).flatMap((kind) =>
    plugins[kind].map((p) => [
      definitionName(kind, p.name),
      {
        type: "object",
        description: p.description,
        ...(p.params.required?.length ? { required: [...p.params.required] } : {}),
        additionalProperties: false,
        properties: p.params.properties,
      },
    ]),
  );
  const schema = structuredClone(envelope) as typeof envelope;
  const requires = schema.properties.spec.properties.requires as { properties: Record<string, unknown> };
  const { nodes, ...rest } = requires.properties;
  requires.properties = { nodes, capabilities: capabilitiesSchema(), ...rest };
  return {
    ...schema,
    definitions: {
      ...structuredClone(SHARED_DEFINITIONS),
      step: typedMap("step"),
      probe: typedMap("probe"),
      signal: typedMap("signal"),
      steps: { type: "array", description: "Steps, run in order.", items: { $ref: "#/definitions/step" } },
      probes: { type: "array", description: "Probes; all must pass.", items: { $ref: "#/definitions/probe" } },
      ...structuredClone(Object.fromEntries(perType)),
    },
  };
}

/** spec.requires.capabilities: the names of src/providers/capabilities.ts, each explained. */
function capabilitiesSchema(): Record<string, unknown> {
  const meanings = CAPABILITY_NAMES.map((n) => `${n}: ${CAPABILITIES[n].means} (${providedBy(n)})`);
  return {
    type: "array",
    uniqueItems: true,
    default: [],
    description: `What the cluster must have besides nodes; on a cluster lacking one, each attempt is skipped (nothing created, not a failure). ${meanings.join("; ")}.`,
    items: { type: "string", enum: [...CAPABILITY_NAMES] },
  };
}

/** The JSON Schema of scenario files (what `kubedrill schema` prints and validation uses). */
export const scenarioSchema: Record<string, unknown> = generateSchema(PLUGINS);

const defs = scenarioSchema.definitions as Record<SpecKind, object>;

/** Step, probe and signal type names, in index order. */
export const TYPES: Record<SpecKind, readonly string[]> = {
  step: PLUGINS.step.map((p) => p.name),
  probe: PLUGINS.probe.map((p) => p.name),
  signal: PLUGINS.signal.map((p) => p.name),
};

/**
 * Which one-key map (step, probe or signal) a schema object of an Ajv error is, if any. A
 * precompiled validator reports its own copy of the schema, so a copy counts too.
 */
export function typedMapKind(schema: unknown): SpecKind | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  const description = (schema as { description?: unknown }).description;
  return (Object.keys(PLUGINS) as SpecKind[]).find(
    (kind) =>
      schema === defs[kind] ||
      (description === (defs[kind] as { description?: unknown }).description && isDeepStrictEqual(schema, defs[kind])),
  );
}

export function isKnownType(kind: SpecKind, type: string): boolean {
  return TYPES[kind].includes(type);
}

/** The plug-in of a type, for its `check` (src/scenario/semantics.ts). */
export function pluginOf(kind: SpecKind, type: string): Plugin | undefined {
  return PLUGINS[kind].find((p) => p.name === type);
}
