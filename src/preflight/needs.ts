import { knownKind } from "../k8s/kinds.ts";
import type { Access, KObject, ResourceType } from "../k8s/types.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import type { Registries } from "../pipeline/registries.ts";
import type { SourceFiles } from "../pipeline/source-files.ts";
import type { TypedSpec } from "../scenario/types.ts";
import { resolve, dirname } from "node:path";

/** Objects a step selects outside the scenario's own namespace: they must exist before the run. */
export interface Selection {
  /** Where the step is written: `spec.fault[0].cordon`. */
  field: string;
  type: ResourceType;
  namespace?: string;
  name?: string;
  selector?: string;
}

/** What one scenario will ask of the API server, as far as can be told before it runs. */
export interface ScenarioNeeds {
  access: Access[];
  /** Every kind it creates, changes or watches. */
  kinds: ResourceType[];
  /** Kinds its setup defines (CustomResourceDefinitions it applies): not required to be served yet. */
  definedBySetup: ResourceType[];
  selections: Selection[];
}

type Verb = Access["verb"];
const NODE: ResourceType = { apiVersion: "v1", kind: "Node" };
const POD: ResourceType = { apiVersion: "v1", kind: "Pod" };

/** The verbs a step type needs on what it names (`target`, `objects`, `nodes`); none for command and wait. */
const VERBS: Record<string, Verb[]> = {
  apply: ["get", "create", "patch", "delete"],
  patch: ["get", "list", "patch"],
  annotate: ["get", "list", "patch"],
  scale: ["get", "list", "patch"],
  delete: ["get", "list", "delete", "create"],
  cordon: ["get", "list", "patch"],
  uncordon: ["get", "list", "patch"],
  taint: ["get", "list", "patch"],
  untaint: ["get", "list", "patch"],
  stopNodes: ["get", "list"],
  fillDisk: ["get", "list"],
  collectImageGarbage: ["get", "list"],
  restartPods: ["list", "delete"],
};

/** `${namespace}` in a parameter is the scenario's own namespace (substituted only when an attempt is bound). */
const inNs = (v: string, ns: string) => v.split("${namespace}").join(ns);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Derives a built scenario's needs from its steps' parameters (their targets, objects and
 * node selectors), its probes' and signals' watches, and what every run does (its
 * namespace, its heartbeat Lease in `default`). Step types it does not know (command,
 * wait, plug-ins of your own) add nothing: their effects cannot be judged beforehand.
 */
export function scenarioNeeds(b: BuiltScenario, o: { registries: Registries; sources: SourceFiles }): ScenarioNeeds {
  const ns = b.namespace;
  const access: Access[] = [
    { verb: "create", apiVersion: "v1", kind: "Namespace" },
    { verb: "delete", apiVersion: "v1", kind: "Namespace" },
    { verb: "create", apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default" },
    { verb: "update", apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default" },
  ];
  const kinds: ResourceType[] = [];
  const definedBySetup: ResourceType[] = [];
  const selections: Selection[] = [];
  const add = (verbs: Verb[], t: ResourceType, namespace: string | undefined) => {
    kinds.push({ apiVersion: t.apiVersion, kind: t.kind });
    for (const verb of verbs)
      access.push({ verb, apiVersion: t.apiVersion, kind: t.kind, ...(namespace ? { namespace } : {}) });
  };
  const s = b.scenario.spec;
  for (const [list, isSetup] of [
    [s.setup.steps, true],
    [s.fault, false],
    [s.remediate.steps, false],
  ] as const)
    for (const step of list) {
      const verbs = VERBS[step.type];
      if (!verbs || o.registries.steps.plugin(step.type) === undefined) continue;
      const params = step.params;
      if (isMap(params.nodes) || ["stopNodes", "fillDisk", "collectImageGarbage"].includes(step.type)) {
        add(verbs, NODE, undefined);
        const nodes = isMap(params.nodes) ? params.nodes : {};
        if (Array.isArray(nodes.names))
          for (const name of nodes.names) selections.push({ field: step.loc.field, type: NODE, name: String(name) });
        else if (typeof nodes.selector === "string")
          selections.push({ field: step.loc.field, type: NODE, selector: nodes.selector });
      }
      if (step.type === "restartPods") {
        const namespace = typeof params.namespace === "string" ? inNs(params.namespace, ns) : ns;
        add(verbs, POD, namespace);
        if (namespace !== ns && typeof params.selector === "string")
          selections.push({ field: step.loc.field, type: POD, namespace, selector: params.selector });
      }
      if (isMap(params.target)) {
        const t = target(params.target, ns);
        if (t) {
          add(verbs, t.type, t.namespace);
          if (t.namespace !== ns && (t.name || t.selector)) selections.push({ field: step.loc.field, ...t });
        }
      }
      for (const obj of objectsOf(step, b.scenario.file, o.sources)) {
        const known = knownKind(obj.kind, obj.apiVersion);
        const namespaced = known?.namespaced ?? true;
        const objNs = obj.metadata?.namespace;
        add(verbs, obj, namespaced ? (objNs ? inNs(objNs, ns) : ns) : undefined);
        if (isSetup && obj.kind === "CustomResourceDefinition") definedBySetup.push(...crdKinds(obj));
      }
    }
  for (const need of b.needs) {
    kinds.push({ apiVersion: need.apiVersion, kind: need.kind });
    for (const verb of ["list", "watch"] as const)
      access.push({
        verb,
        apiVersion: need.apiVersion,
        kind: need.kind,
        ...(need.namespace ? { namespace: need.namespace } : {}),
      });
  }
  return { access: unique(access), kinds: unique(kinds), definedBySetup, selections };
}

function target(raw: Record<string, unknown>, ns: string): Omit<Selection, "field"> | undefined {
  if (typeof raw.kind !== "string") return undefined;
  const given = typeof raw.apiVersion === "string" ? raw.apiVersion : undefined;
  const known = knownKind(raw.kind, given);
  const apiVersion = given ?? known?.apiVersion;
  if (!apiVersion) return undefined;
  const namespaced = known?.namespaced ?? true;
  return {
    type: { apiVersion, kind: raw.kind },
    ...(namespaced ? { namespace: typeof raw.namespace === "string" ? inNs(raw.namespace, ns) : ns } : {}),
    ...(typeof raw.name === "string" ? { name: raw.name } : {}),
    ...(typeof raw.selector === "string" ? { selector: raw.selector } : {}),
  };
}

/** The objects an apply step names inline or through `path` (read from the run's files). */
function objectsOf(step: TypedSpec, file: string, sources: SourceFiles): KObject[] {
  if (step.type !== "apply") return [];
  const inline = Array.isArray(step.params.objects) ? step.params.objects.filter(isMap) : [];
  const fromPath =
    typeof step.params.path === "string"
      ? sources.objects(resolve(dirname(file), step.params.path), step.params.path, "preflight").map((m) => m.object)
      : [];
  return [...(inline as unknown as KObject[]), ...fromPath].filter(
    (x) => typeof x.kind === "string" && typeof x.apiVersion === "string",
  );
}

function crdKinds(crd: KObject): ResourceType[] {
  const spec = (crd as { spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string }[] } }).spec;
  if (!spec?.group || !spec.names?.kind) return [];
  return (spec.versions ?? []).map((v) => ({ apiVersion: `${spec.group}/${v.name}`, kind: spec.names!.kind! }));
}

function unique<T>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const i of items) seen.set(JSON.stringify(i), i);
  return [...seen.values()];
}
