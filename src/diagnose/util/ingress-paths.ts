import type { KObject } from "../../k8s/types.ts";

/**
 * Ingress host and path matching per the networking.k8s.io/v1 spec:
 * - Exact matches the path verbatim (case-sensitive, trailing slash significant);
 * - Prefix matches element-wise on "/"-separated elements, ignoring a trailing slash:
 *   /api covers /api, /api/ and /api/v1 but not /apiv2; "/" covers everything;
 * - ImplementationSpecific is treated as Prefix (what ingress-nginx does without regex);
 * - a wildcard host "*.example.com" matches exactly one extra DNS label.
 */
type MatchType = "Exact" | "Prefix";

export interface PathRule {
  path: string;
  type: MatchType;
  /** Written as ImplementationSpecific (or without a type) and treated as Prefix. */
  assumedPrefix: boolean;
}

export function pathRule(path: string | undefined, pathType: string | undefined): PathRule {
  const p = path && path.length > 0 ? path : "/";
  if (pathType === "Exact") return { path: p, type: "Exact", assumedPrefix: false };
  return { path: p, type: "Prefix", assumedPrefix: pathType !== "Prefix" };
}

export function elements(path: string): string[] {
  return path.split("/").filter((e) => e.length > 0);
}

/** Whether a Prefix rule matches a request path. */
export function prefixMatches(prefix: string, requestPath: string): boolean {
  const p = elements(prefix);
  const r = elements(requestPath);
  return p.length <= r.length && p.every((e, i) => e === r[i]);
}

/**
 * How two rules' request sets relate: "same" (they claim exactly the same requests with the
 * same precedence), "covers" (the narrower one's requests are a subset of the broader one's;
 * `narrow` says which), or undefined (disjoint).
 */
type Overlap = { kind: "same" } | { kind: "covers"; narrow: "a" | "b" };

export function pathsOverlap(a: PathRule, b: PathRule): Overlap | undefined {
  if (a.type === "Exact" && b.type === "Exact") return a.path === b.path ? { kind: "same" } : undefined;
  if (a.type === "Prefix" && b.type === "Prefix") {
    const ea = elements(a.path).join("/");
    const eb = elements(b.path).join("/");
    if (ea === eb) return { kind: "same" };
    if (prefixMatches(a.path, b.path)) return { kind: "covers", narrow: "b" };
    if (prefixMatches(b.path, a.path)) return { kind: "covers", narrow: "a" };
    return undefined;
  }
  const [exact, prefix, narrow] = a.type === "Exact" ? [a, b, "a" as const] : [b, a, "b" as const];
  return prefixMatches(prefix.path, exact.path) ? { kind: "covers", narrow } : undefined;
}

/** Hosts that can receive the same request. A host-less rule is the fallback, not a rival. */
export function hostsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (x === "" || y === "") return false;
  const wild = (w: string, h: string) =>
    w.startsWith("*.") && !h.startsWith("*.") && h.slice(h.indexOf(".") + 1) === w.slice(2) && h.indexOf(".") > 0;
  return wild(x, y) || wild(y, x);
}

export function describeRule(r: PathRule): string {
  return `${r.type === "Exact" ? "Exact" : "Prefix"} ${r.path}${r.assumedPrefix ? " (ImplementationSpecific, treated as Prefix)" : ""}`;
}

const LEGACY_CLASS = "kubernetes.io/ingress.class";
const DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";

/** An Ingress's class: spec.ingressClassName, else the legacy annotation, else the default IngressClass ("" if none). */
export function classOf(ing: KObject, classes: KObject[]): string {
  const explicit = ing.spec?.ingressClassName ?? ing.metadata.annotations?.[LEGACY_CLASS];
  if (explicit) return String(explicit);
  return (
    classes
      .filter((c) => c.metadata.annotations?.[DEFAULT_CLASS] === "true")
      .map((c) => c.metadata.name!)
      .sort()[0] ?? ""
  );
}
