import type { KObject } from "../k8s/types.ts";
import { classOf, elements, pathRule, prefixMatches } from "../diagnose/util/ingress-paths.ts";

/**
 * Which Ingress rule serves a request, by the rules ingress-nginx documents ("How it works",
 * building the NGINX model). The local cluster's Ingress controller renders nginx's
 * configuration from this table, and the modelled controller (kwok nodes) answers from it,
 * so both give the answer ingress-nginx gives on kind:
 *
 * 1. An Ingress belongs to the controller when its class (spec.ingressClassName, else the
 *    legacy kubernetes.io/ingress.class annotation, else the IngressClass marked default)
 *    is the controller's class.
 * 2. Ingresses are taken oldest first (creationTimestamp; namespace/name break ties).
 * 3. Rules for one host are merged across Ingresses into one server. A rule without a host
 *    belongs to the default server, which answers requests for hosts no rule names.
 * 4. The same host, path and match type in more than one Ingress: the oldest Ingress's
 *    rule wins and the others are ignored (listed as `shadowed`).
 * 5. Within a server, an Exact rule for the request's path wins; otherwise the Prefix rule
 *    with the most path elements that match (element-wise: /api covers /api/v1, not /apiv2).
 *    ImplementationSpecific counts as Prefix.
 * 6. A host is matched exactly first, then by a wildcard `*.example.com` (one label).
 * 7. No matching rule: 404. A backend Service with no ready endpoint: 503.
 */
export interface IngressRoute {
  host: string;
  /** The path as written, and its element-wise key. */
  path: string;
  type: "Exact" | "Prefix";
  ingress: { namespace: string; name: string };
  service: { namespace: string; name: string; port: number | string };
  /** Younger Ingresses whose identical rule this one hides (rule 4). */
  shadowed: { namespace: string; name: string; service: string }[];
}

/** host ("" for the default server) -> routes, in the order they were taken. */
export type RoutingTable = Map<string, IngressRoute[]>;

const age = (o: KObject) => Date.parse(o.metadata.creationTimestamp ?? "") || 0;
const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

interface RawPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { number?: number; name?: string } } };
}

export function routingTable(ingresses: KObject[], classes: KObject[], className: string): RoutingTable {
  const table: RoutingTable = new Map();
  const ours = ingresses
    .filter((i) => !i.metadata.deletionTimestamp && classOf(i, classes) === className)
    .sort((a, b) => age(a) - age(b) || keyOf(a).localeCompare(keyOf(b)));
  for (const ing of ours) {
    const namespace = ing.metadata.namespace ?? "default";
    const rules = (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: RawPath[] } }[];
    const fallback = ing.spec?.defaultBackend as RawPath["backend"] | undefined;
    const entries: { host: string; p: RawPath }[] = rules.flatMap((r) =>
      (r.http?.paths ?? []).map((p) => ({ host: (r.host ?? "").toLowerCase(), p })),
    );
    if (fallback?.service) entries.push({ host: "", p: { path: "/", pathType: "Prefix", backend: fallback } });
    for (const { host, p } of entries) {
      const svc = p.backend?.service;
      if (!svc?.name) continue; // resource backends are not served
      const rule = pathRule(p.path, p.pathType);
      const routes = table.get(host) ?? [];
      table.set(host, routes);
      const key = pathKey(rule.type, rule.path);
      const owner = routes.find((r) => pathKey(r.type, r.path) === key);
      if (owner) {
        if (owner.ingress.namespace !== namespace || owner.ingress.name !== ing.metadata.name)
          owner.shadowed.push({ namespace, name: ing.metadata.name!, service: svc.name });
        continue;
      }
      routes.push({
        host,
        path: rule.path,
        type: rule.type,
        ingress: { namespace, name: ing.metadata.name! },
        service: { namespace, name: svc.name, port: svc.port?.number ?? svc.port?.name ?? 80 },
        shadowed: [],
      });
    }
  }
  return table;
}

export function pathKey(type: "Exact" | "Prefix", path: string): string {
  return type === "Exact" ? `=${path}` : `^/${elements(path).join("/")}`;
}

/** The server a request's Host header reaches: exact name, then a wildcard, then the default. */
export function serverFor(table: RoutingTable, host: string | undefined): string | undefined {
  const h = (host ?? "").toLowerCase().replace(/:\d+$/, "");
  if (h && table.has(h)) return h;
  const dot = h.indexOf(".");
  if (dot > 0 && table.has(`*.${h.slice(dot + 1)}`)) return `*.${h.slice(dot + 1)}`;
  return table.has("") ? "" : undefined;
}

/** The route that serves a request (rules 5 and 6), or undefined for a 404. */
export function resolveRoute(table: RoutingTable, host: string | undefined, path: string): IngressRoute | undefined {
  const server = serverFor(table, host);
  if (server === undefined) return undefined;
  const routes = table.get(server)!;
  const exact = routes.find((r) => r.type === "Exact" && r.path === path);
  if (exact) return exact;
  let best: IngressRoute | undefined;
  for (const r of routes) {
    if (r.type !== "Prefix" || !prefixMatches(r.path, path)) continue;
    if (!best || elements(r.path).length > elements(best.path).length) best = r;
  }
  return best;
}
