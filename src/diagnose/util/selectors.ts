import type { KObject } from "../../k8s/types.ts";

/** Label selectors (metav1.LabelSelector) and node selector requirements (core/v1). */
export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

export function matchesLabelSelector(
  selector: LabelSelector | undefined | null,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** A Service-style map selector; an empty map selects nothing here (Services: no selector). */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return has && values.includes(value ?? "");
    case "NotIn":
      return !has || !values.includes(value ?? "");
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (!has || values.length !== 1) return false;
      const a = Number.parseInt(value ?? "", 10);
      const b = Number.parseInt(values[0] ?? "", 10);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

export interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

/** matchFields supports only metadata.name, as in the API. */
export function nodeFields(node: KObject): Record<string, string> {
  return { "metadata.name": node.metadata.name ?? "" };
}

/** An empty term matches no node (API semantics). */
export function termMatches(term: NodeSelectorTerm, node: KObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, nodeFields(node)))
  );
}

/** "topology.kubernetes.io/zone In [zone-a]", "disktype=ssd". */
export function describeRequirement(r: Requirement, field = false): string {
  const what = field ? `field ${r.key}` : r.key;
  switch (r.operator) {
    case "Exists":
    case "DoesNotExist":
      return `${what} ${r.operator}`;
    default:
      return `${what} ${r.operator} [${(r.values ?? []).join(", ")}]`;
  }
}

export function describeSelector(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}
