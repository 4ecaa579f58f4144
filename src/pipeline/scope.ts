import { dirname, isAbsolute, join, resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { knownKind } from "../k8s/kinds.ts";
import { pluginOf } from "../scenario/catalogue.ts";
import { manifestObjects, manifestProblems } from "../scenario/manifests.ts";
import type { Locator, Seg } from "../scenario/source.ts";
import { get, isMapValue, typedSpecs } from "../scenario/typed.ts";
import type { StepPlugin } from "../sdk/plugin.ts";
import type { SourceFiles } from "./source-files.ts";

const OWN = "${namespace}";
const SYSTEM = /^kube-/;

/** One object a step changes, as written: its kind and, for namespaced kinds, its namespace. */
interface Touch {
  at: Seg[];
  /** Where it comes from when not the scenario file itself (a manifest applied). */
  origin?: string;
  kind: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
}

/**
 * The scope rule of scenarios: a step may change, outside the scenario's own namespace,
 * only what `spec.requires.touches` declares (cluster-scoped kinds, and kinds kubedrill
 * does not know, in `kinds`; other namespaces by name in `namespaces`); `nodes` and
 * `provider` steps change Nodes. Whatever is declared, these are refused: changing
 * objects in `kube-*` namespaces, deleting Nodes, deleting the `default` Namespace, a
 * `kube-*` one or any Namespace the scenario did not apply itself (earlier, by name).
 * Each problem is located at the step (or the object) that breaks the rule.
 */
export function scopeProblems(
  scenario: unknown,
  file: string,
  locator: Locator,
  cwd: string,
  sources: SourceFiles,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const declared = (key: string) => {
    const list = get(scenario, ["spec", "requires", "touches", key]);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  };
  const kinds = declared("kinds");
  const namespaces = declared("namespaces");
  const created = new Set<string>();
  for (const { kind, path, type, params } of typedSpecs(scenario)) {
    if (kind !== "step") continue;
    const plugin = pluginOf("step", type) as StepPlugin | undefined;
    const at = [...path, type];
    const report = (where: Seg[], message: string, origin?: string) =>
      problems.push(locator.problem(where, origin ? `${message} (${origin})` : message));
    const needKind = (t: Touch, why: string) => {
      if (!kinds.includes(t.kind))
        report(
          t.at,
          `changes ${t.kind} objects, ${why}: declare it in spec.requires.touches.kinds (e.g. touches: { kinds: [${t.kind}] })`,
          t.origin,
        );
    };
    const inNamespace = (t: Touch) => {
      const ns = t.namespace;
      if (ns === undefined || ns === OWN) return;
      if (SYSTEM.test(ns))
        return report(
          t.at,
          `would change objects in ${ns}; kube-* namespaces are never changed, whatever is declared`,
          t.origin,
        );
      if (!namespaces.includes(ns))
        report(
          t.at,
          `changes objects in namespace ${ns}, outside the scenario's own: declare it in spec.requires.touches.namespaces (e.g. touches: { namespaces: [${ns}] })`,
          t.origin,
        );
    };
    const judge = (t: Touch) => {
      const known = knownKind(t.kind, t.apiVersion) ?? (t.apiVersion ? undefined : knownKind(t.kind));
      if (type === "delete" && t.kind === "Node")
        return report(
          t.at,
          "would delete Nodes, which is never allowed, whatever is declared (stopNodes takes nodes out and brings them back)",
        );
      if (t.kind === "Namespace") return namespaceObject(t);
      // A kind kubedrill does not know, written without apiVersion, is refused by semantics.ts.
      if (!known)
        return t.apiVersion
          ? needKind(t, "a kind kubedrill does not know (it may live outside the namespace)")
          : undefined;
      if (!known.namespaced) return needKind(t, "which live outside the scenario's namespace");
      inNamespace(t);
    };
    const namespaceObject = (t: Touch) => {
      const name = t.name;
      if (name === OWN && type !== "delete") return; // the scenario's own namespace
      if (name !== undefined && (name === "default" || SYSTEM.test(name)))
        return report(
          t.at,
          `would change the ${name} Namespace; the default and kube-* Namespaces are never changed, whatever is declared`,
          t.origin,
        );
      if (type === "delete" && (name === undefined || !created.has(name)))
        return report(
          t.at,
          `would delete ${name ? `Namespace ${name}` : "Namespaces by selector"}, which is never allowed: only a Namespace the scenario applied earlier may be deleted (a deleted Namespace's contents cannot come back)`,
        );
      needKind(t, "which live outside the scenario's namespace");
      if (type === "apply" && name !== undefined) created.add(name);
    };
    if (plugin?.scope === "nodes" || plugin?.scope === "provider") {
      judge({ at, kind: "Node" });
      continue;
    }
    if (plugin?.scope === "namespace" && typeof params.namespace === "string")
      inNamespace({ at: [...at, "namespace"], kind: "Pod", namespace: params.namespace });
    if (plugin?.scope !== "target") continue;
    for (const t of touchesOf(at, params, file, cwd, sources)) judge(t);
  }
  return problems;
}

/** The objects a `target` step changes: its target, or the objects it applies (inline and from `path`). */
function touchesOf(
  at: Seg[],
  params: Record<string, unknown>,
  file: string,
  cwd: string,
  sources: SourceFiles,
): Touch[] {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const out: Touch[] = [];
  const add = (where: Seg[], obj: unknown, origin?: string) => {
    if (!isMapValue(obj) || typeof obj.kind !== "string") return;
    const meta = isMapValue(obj.metadata) ? obj.metadata : {};
    const apiVersion = str(obj.apiVersion);
    const name = str(meta.name);
    const namespace = str(meta.namespace);
    out.push({
      at: where,
      kind: obj.kind,
      ...(apiVersion ? { apiVersion } : {}),
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
      ...(origin ? { origin } : {}),
    });
  };
  const target = params.target;
  if (isMapValue(target))
    add([...at, "target"], { ...target, metadata: { name: target.name, namespace: target.namespace } });
  if (Array.isArray(params.objects)) params.objects.forEach((o, i) => add([...at, "objects", i], o));
  if (typeof params.path === "string" && params.path !== "") {
    const shown = isAbsolute(params.path) ? params.path : join(dirname(file), params.path);
    const manifest = sources.manifest(resolve(cwd, shown));
    if (manifest && manifestProblems(manifest).length === 0)
      for (const o of manifestObjects(manifest)) add([...at, "path"], o.object, `${params.path}:${o.line}:${o.column}`);
  }
  return out;
}
