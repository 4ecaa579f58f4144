import type { Detector, Factory, Probe, Step } from "./types.ts";
import type { SchemaFragment } from "./schema-parts.ts";

/**
 * What a step touches, which decides whether it may run beside other scenarios
 * (src/engine/exclusive.ts) and whether a namespaced-only game day allows it
 * (src/providers/guard.ts):
 * - `namespace`: only objects in one namespace (restartPods);
 * - `target`: decided by the kinds of its `target` or `objects`/`path` (apply, patch, delete,
 *   scale): cluster-scoped kinds reach beyond the namespace;
 * - `nodes`: node objects every scenario shares (cordon, taint, ...);
 * - `provider`: a provider action on the nodes' machines (stopNodes, fillDisk, ...);
 * - `none`: nothing kubedrill can judge: `wait` only watches; `command` runs a local program,
 *   whose effects are the scenario author's responsibility (it is not refused or isolated).
 */
export type StepScope = "namespace" | "target" | "nodes" | "provider" | "none";

/** Looks up the scope of a step type (src/steps/index.ts: stepScope). */
export type ScopeOf = (type: string) => StepScope | undefined;

/** Whether a scope changes nodes every scenario shares (`nodes`, `provider`). */
export const isNodeLevel = (scope: StepScope | undefined): boolean => scope === "nodes" || scope === "provider";

/** The JSON-Schema fragment of a type's params: an object closed to unknown fields. */
export interface ParamsSchema {
  required?: readonly string[];
  properties: Record<string, SchemaFragment>;
}

/** A path below the type's params (`["url"]`, `[]` for the params map itself). */
export type ParamPath = (string | number)[];

/**
 * A rule JSON Schema cannot express legibly, run by validation after the schema check on
 * params whose shape may still be wrong: skip values of the wrong type (the schema reports them).
 */
export type ParamsCheck = (params: Record<string, unknown>, report: (path: ParamPath, message: string) => void) => void;

/** The providers a scenario can run on (src/providers/index.ts). */
/** `local` is the embedded cluster with real nodes, `kwok` the same with simulated (kwok) nodes. */
export const FIDELITY_PROVIDERS = ["local", "kwok", "kind", "k3s", "kubeconfig"] as const;
export type FidelityProvider = (typeof FIDELITY_PROVIDERS)[number];

/**
 * How a type behaves where it is not plainly real, per provider (`kubedrill list` and
 * `describe` show it): `simulated`, a model stands in (its evidence is marked simulated);
 * `unavailable`, the provider cannot do it (the attempt errors); `limited`, only under the
 * conditions the note gives. A provider not named does it for real.
 */
export type Fidelity = Partial<
  Record<FidelityProvider, { mode: "simulated" | "unavailable" | "limited"; note: string }>
>;

interface PluginBase<T> {
  /** The `type:` name scenario files use. */
  name: string;
  /** One sentence for editors (the schema's description of the type). */
  description: string;
  params: ParamsSchema;
  /** Builds the instance; validates what it relies on with Params (src/sdk/params.ts). */
  create: Factory<T>;
  check?: ParamsCheck;
  /** Where the type is simulated or unavailable; real everywhere when absent. */
  fidelity?: Fidelity;
}

export interface StepPlugin extends PluginBase<Step> {
  kind: "step";
  scope: StepScope;
}
export interface ProbePlugin extends PluginBase<Probe> {
  kind: "probe";
}
export interface SignalPlugin extends PluginBase<Detector> {
  kind: "signal";
}
export type Plugin = StepPlugin | ProbePlugin | SignalPlugin;

export const defineStep = (def: Omit<StepPlugin, "kind">): StepPlugin => ({ kind: "step", ...def });
export const defineProbe = (def: Omit<ProbePlugin, "kind">): ProbePlugin => ({ kind: "probe", ...def });
export const defineSignal = (def: Omit<SignalPlugin, "kind">): SignalPlugin => ({ kind: "signal", ...def });
