import type { KObject } from "../k8s/types.ts";
import type { ClusterSnapshot } from "../diagnose/types.ts";
import type { ProbeResult, RouteParams } from "../sdk/types.ts";
import { hostsOverlap, pathRule, prefixMatches, elements } from "../diagnose/util/ingress-paths.ts";
import { ingressClassOf } from "../diagnose/analysers/ingress-conflict.ts";

const result = (ok: boolean, message: string): ProbeResult => ({
  ok,
  message: `${message} [modelled Ingress controller]`,
  simulated: true,
});

interface Candidate {
  ingress: KObject;
  host: string;
  path: string;
  exact: boolean;
  backend: string;
}

/**
 * Where an Ingress controller serving one IngressClass sends a request, worked out from
 * the Ingress objects: the rules of that class whose host matches (a host-less rule is the
 * fallback) and whose path matches (Exact, or Prefix element-wise); the most specific
 * wins (Exact before Prefix, then the longest path). When the most specific rules name
 * different backends, controllers merge them unpredictably (ingress-nginx keeps one by
 * creation order per server block), so traffic does not reliably reach either: that is
 * the conflict the article describes, and the route fails.
 */
export function modelRoute(p: RouteParams, snap: ClusterSnapshot): ProbeResult {
  const request = `${p.host ?? "*"}${p.path}`;
  const wantClass = p.ingressClass ?? defaultClass(snap);
  const candidates: Candidate[] = [];
  for (const ing of snap.ingresses) {
    if (ing.metadata.deletionTimestamp) continue;
    if (wantClass !== undefined && ingressClassOf(ing, snap) !== wantClass) continue;
    for (const rule of (ing.spec?.rules ?? []) as {
      host?: string;
      http?: { paths?: { path?: string; pathType?: string; backend?: { service?: { name?: string } } }[] };
    }[]) {
      const host = rule.host ?? "";
      if (p.host !== undefined && host !== "" && !hostsOverlap(host, p.host)) continue;
      for (const path of rule.http?.paths ?? []) {
        const r = pathRule(path.path, path.pathType);
        const hit = r.type === "Exact" ? r.path === p.path : prefixMatches(r.path, p.path);
        if (!hit) continue;
        candidates.push({
          ingress: ing,
          host,
          path: r.path,
          exact: r.type === "Exact",
          backend: `${ing.metadata.namespace}/${path.backend?.service?.name ?? "?"}`,
        });
      }
    }
  }
  if (candidates.length === 0)
    return result(false, `no Ingress rule${wantClass ? ` of class ${wantClass}` : ""} routes ${request} (404)`);
  const specific = candidates.some((c) => c.host !== "") ? candidates.filter((c) => c.host !== "") : candidates;
  const score = (c: Candidate) => (c.exact ? 1_000_000 : 0) + elements(c.path).length * 1000 + c.path.length;
  const top = Math.max(...specific.map(score));
  const best = specific.filter((c) => score(c) === top);
  const backends = [...new Set(best.map((c) => c.backend))];
  const want = `${p.namespace}/${p.expectService}`;
  if (backends.length > 1) {
    const who = best
      .map((c) => `Ingress ${c.ingress.metadata.namespace}/${c.ingress.metadata.name} -> ${c.backend}`)
      .join(", ");
    return result(
      false,
      `${request} is claimed by ${best.length} rules with different backends (${who}): requests do not reliably reach ${want}`,
    );
  }
  if (backends[0] !== want) return result(false, `${request} routes to ${backends[0]}, expected ${want}`);
  return result(
    true,
    `${request} routes to ${want} (Ingress ${best[0]!.ingress.metadata.namespace}/${best[0]!.ingress.metadata.name}${wantClass ? `, class ${wantClass}` : ""})`,
  );
}

function defaultClass(snap: ClusterSnapshot): string | undefined {
  return snap.ingressClasses.find(
    (c) => c.metadata.annotations?.["ingressclass.kubernetes.io/is-default-class"] === "true",
  )?.metadata.name;
}
