import { KubedrillError } from "../errors.ts";
import { knownKind } from "../k8s/kinds.ts";
import type { Kube } from "../k8s/kube.ts";
import type { KObject } from "../k8s/types.ts";
import type { Params } from "./params.ts";
import { labelMatcher } from "./selector.ts";
import type { Need } from "./types.ts";
import type { ClusterView } from "./types.ts";

/**
 * Target: { apiVersion?, kind, name?, selector?, namespace? }. apiVersion defaults from
 * the kind (src/k8s/kinds.ts); namespaced kinds default to the scenario's namespace;
 * kinds kubedrill does not know need an apiVersion and are taken as namespaced.
 */
export interface Target {
  apiVersion: string;
  kind: string;
  name?: string;
  selector?: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
}

export function parseTarget(p: Params, key: string, namespace: string): Target {
  const t: Params = p.nested(key);
  const kind = t.str("kind");
  const known = knownKind(kind, t.optStr("apiVersion"));
  const apiVersion = t.optStr("apiVersion") ?? known?.apiVersion;
  if (!apiVersion) t.fail("apiVersion", `is required for kind ${kind}, which kubedrill does not know`);
  const name = t.optStr("name");
  const selector = t.has("selector") ? t.selector("selector") : undefined;
  if (!name && !selector) t.fail("", "needs a name or a selector");
  const namespaced = known?.namespaced ?? true;
  return {
    apiVersion,
    kind,
    ...(name ? { name } : {}),
    ...(selector ? { selector } : {}),
    ...(namespaced ? { namespace: t.optStr("namespace") ?? namespace } : {}),
  };
}

export function describeTarget(t: Target): string {
  const what = t.name ? `${t.kind}/${t.name}` : `${t.kind} ${t.selector}`;
  return t.namespace ? `${what} in ${t.namespace}` : what;
}

export function targetNeed(t: Target): Need {
  return { apiVersion: t.apiVersion, kind: t.kind, ...(t.namespace ? { namespace: t.namespace } : {}) };
}

/** Matching objects in the cache, sorted by name. */
export function selectCached(view: ClusterView, t: Target): KObject[] {
  if (t.name) {
    const one = view.get(t, t.name, t.namespace);
    return one ? [one] : [];
  }
  const match = labelMatcher(t.selector ?? "");
  return view
    .list(t, t.namespace)
    .filter((o) => match(o.metadata.labels))
    .sort(byName);
}

/** Matching live objects, asked of the API server (steps act on what is there now). */
export async function selectLive(kube: Kube, t: Target): Promise<KObject[]> {
  if (t.name) {
    const one = await kube.get({
      apiVersion: t.apiVersion,
      kind: t.kind,
      name: t.name,
      ...(t.namespace ? { namespace: t.namespace } : {}),
    });
    return one ? [one] : [];
  }
  const { items } = await kube.list(t, {
    ...(t.namespace ? { namespace: t.namespace } : {}),
    labelSelector: t.selector!,
  });
  return items.sort(byName);
}

export const byName = (a: KObject, b: KObject) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

/** NodeSelector: { names?, selector?, count? }; with only count, any nodes; a plain list is taken as names. */
export interface NodeTarget {
  names?: string[];
  selector?: string;
  count?: number;
  /** The nodes that run the pods matching `selector` in `namespace` (resolved when the step runs). */
  hosting?: { selector: string; namespace: string };
}

export const NODE = { apiVersion: "v1", kind: "Node" } as const;

export function parseNodes(p: Params, key = "nodes", namespace?: string): NodeTarget {
  if (Array.isArray(p.values[key])) return { names: p.strArray(key) };
  const n: Params = p.nested(key);
  const names = n.has("names") ? n.strArray("names") : undefined;
  const selector = n.has("selector") ? n.selector("selector") : undefined;
  const count = n.optNum("count", 1);
  let hosting: NodeTarget["hosting"];
  if (n.has("hosting")) {
    if (namespace === undefined)
      n.fail("hosting", "is for steps only: a probe or signal reads the nodes it watches by name or labels");
    hosting = { selector: n.selector("hosting"), namespace };
  }
  return {
    ...(names ? { names } : {}),
    ...(selector ? { selector } : {}),
    ...(count ? { count } : {}),
    ...(hosting ? { hosting } : {}),
  };
}

export function describeNodes(t: NodeTarget): string {
  const which =
    [
      ...(t.names ? [t.names.join(", ")] : []),
      ...(t.selector ? [`matching ${t.selector}`] : []),
      ...(t.hosting ? [`running pods ${t.hosting.selector}`] : []),
    ].join(" ") || "(any)";
  return t.count ? `${t.count} node(s) ${which}` : `node(s) ${which}`;
}

export function pickNodes(nodes: KObject[], t: NodeTarget): KObject[] {
  const match = t.selector ? labelMatcher(t.selector) : () => true;
  const picked = nodes
    .filter((n) => (!t.names || t.names.includes(n.metadata.name ?? "")) && match(n.metadata.labels))
    .sort(byName);
  return t.count ? picked.slice(0, t.count) : picked;
}

/** Live nodes for a step; fails when none (or fewer than `count`) match. */
export async function resolveNodes(kube: Kube, t: NodeTarget): Promise<KObject[]> {
  const { items } = await kube.list(NODE, t.selector ? { labelSelector: t.selector } : {});
  let candidates = items;
  if (t.hosting) {
    const pods = await kube.list(
      { apiVersion: "v1", kind: "Pod" },
      { namespace: t.hosting.namespace, labelSelector: t.hosting.selector },
    );
    const hosts = new Set(pods.items.map((p) => p.spec?.nodeName as string | undefined).filter((n) => !!n));
    candidates = items.filter((n) => hosts.has(n.metadata.name ?? ""));
  }
  const nodes = pickNodes(candidates, t);
  if (nodes.length === 0)
    throw new KubedrillError(`no node matches ${describeNodes(t)} (the cluster has ${items.length} node(s))`);
  if (t.count && nodes.length < t.count)
    throw new KubedrillError(`${describeNodes(t)}: only ${nodes.length} node(s) match`);
  return nodes;
}
