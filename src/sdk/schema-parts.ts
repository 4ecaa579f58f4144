import { analysers } from "../diagnose/index.ts";
/**
 * Schema fragments shared by the plug-ins and the scenario envelope. Named ones are
 * definitions of the generated schema (`ref("target")` points at them); the helpers build
 * inline fragments whose description ends with the format's explanation.
 */
export type SchemaFragment = Record<string, unknown>;

const SELECTOR_TEXT = "A Kubernetes label selector: app=api,tier!=db,env in (a,b),!canary.";
const DURATION_TEXT = "A duration: 500ms, 30s, 2m, 1h30m.";
const REGEX_TEXT = "A JavaScript regular expression, unanchored.";

/** A duration string (`30s`); `extra` adds keywords such as a default. */
export const duration = (description: string, extra: SchemaFragment = {}): SchemaFragment => ({
  type: "string",
  format: "duration",
  description: `${description} ${DURATION_TEXT}`,
  ...extra,
});

export const labelSelector = (description: string): SchemaFragment => ({
  type: "string",
  format: "label-selector",
  description: `${description} ${SELECTOR_TEXT}`,
});

export const regex = (description: string): SchemaFragment => ({
  type: "string",
  format: "regex",
  description: `${description} ${REGEX_TEXT}`,
});

export const text = (description: string): SchemaFragment => ({ type: "string", minLength: 1, description });

export const namespaceParam = (): SchemaFragment => text("Namespace; defaults to the scenario's generated namespace.");

/** The shared definitions, in the order the schema lists them. */
export const SHARED_DEFINITIONS = {
  duration: { type: "string", format: "duration", description: `A time span. ${DURATION_TEXT}` },
  target: {
    type: "object",
    description: "Which object(s): kind plus name or a label selector.",
    required: ["kind"],
    additionalProperties: false,
    properties: {
      apiVersion: text("Defaults from the kind (Deployment -> apps/v1, ...); required for custom resources."),
      kind: text("Object kind, e.g. Deployment, Pod, Node, ResourceQuota."),
      name: text("Object name. Set name or selector."),
      selector: labelSelector("Object labels. Set name or selector."),
      namespace: text("Namespace; defaults to the scenario's generated namespace for namespaced kinds."),
    },
  },
  nodeSelector: {
    type: "object",
    description:
      "Which nodes: by names, by label selector, or (steps only) by the pods they run, optionally limited to `count` of them. With only `count`, any nodes.",
    additionalProperties: false,
    properties: {
      names: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        description: "Node names.",
        items: { type: "string", minLength: 1 },
      },
      selector: labelSelector("Node labels."),
      hosting: labelSelector(
        "Steps only: the nodes that run the scenario's pods with these labels, looked up when the step runs (e.g. app=ledger: the node a StatefulSet member is on).",
      ),
      count: { type: "integer", minimum: 1, description: "How many of the matching nodes to use." },
    },
  },
  taintEffect: {
    type: "string",
    enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"],
    description: "Taint effect.",
  },
  findingCode: {
    type: "string",
    // Every code an analyser declares (src/diagnose/index.ts), in their order.
    enum: [...new Set(analysers.flatMap((a) => a.codes))],
    description: "A diagnose finding code.",
  },
  argv: {
    type: "array",
    minItems: 1,
    description: "Command and arguments, e.g. [kubectl, get, pods]. No shell.",
    items: { type: "string" },
  },
  exitStatus: {
    type: "integer",
    minimum: 0,
    maximum: 255,
    default: 0,
    description: "Expected exit status (default 0).",
  },
  kubeObject: {
    type: "object",
    description: "A Kubernetes object (apiVersion, kind, metadata.name, ...).",
    required: ["apiVersion", "kind", "metadata"],
    properties: {
      apiVersion: text("API version, e.g. v1, apps/v1."),
      kind: text("Object kind."),
      metadata: { type: "object", required: ["name"], properties: { name: text("Object name.") } },
    },
  },
} satisfies Record<string, SchemaFragment>;

/** A reference to a shared definition, or to the generated `probe` (a nested probe). */
export const ref = (name: keyof typeof SHARED_DEFINITIONS | "probe"): SchemaFragment => ({
  $ref: `#/definitions/${name}`,
});
