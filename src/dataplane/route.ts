import type { ClusterSnapshot } from "../diagnose/types.ts";
import type { DataPlaneAnswer, RouteParams } from "../sdk/types.ts";
import { resolveRoute, routingTable } from "./ingress-rules.ts";
import { readyEndpointIPs } from "./connectivity.ts";

const result = (ok: boolean, message: string): DataPlaneAnswer => ({
  ok,
  message: `${message} [modelled Ingress controller]`,
});

/**
 * Where an Ingress controller serving one IngressClass sends a request, worked out from
 * the Ingress objects by ingress-nginx's documented rules (src/dataplane/ingress-rules.ts):
 * the same table the local cluster's real controller renders into nginx's configuration.
 */
export function modelRoute(p: RouteParams, snap: ClusterSnapshot): DataPlaneAnswer {
  const request = `${p.host ?? "*"}${p.path}`;
  const wantClass = p.ingressClass ?? defaultClass(snap) ?? "";
  const table = routingTable(snap.ingresses, snap.ingressClasses, wantClass);
  const route = resolveRoute(table, p.host, p.path);
  const want = `${p.namespace}/${p.expectService}`;
  if (!route) return result(false, `no Ingress rule of class ${wantClass || "(none)"} routes ${request} (404)`);
  const got = `${route.service.namespace}/${route.service.name}`;
  const by = `Ingress ${route.ingress.namespace}/${route.ingress.name}, ${route.type} ${route.path}`;
  const hidden = route.shadowed.length
    ? `; the same rule in ${route.shadowed.map((s) => `${s.namespace}/${s.name}`).join(", ")} is ignored (the oldest Ingress wins)`
    : "";
  if (got !== want) return result(false, `${request} routes to ${got} (${by}), expected ${want}${hidden}`);
  // as ingress-nginx: a backend Service that is missing or has no ready endpoint answers 503
  const svc = snap.services.find(
    (s) => s.metadata.namespace === route.service.namespace && s.metadata.name === route.service.name,
  );
  if (!svc) return result(false, `${request} routes to ${got} (${by}), which does not exist (503)`);
  if (readyEndpointIPs(snap, route.service.namespace, route.service.name).size === 0)
    return result(false, `${request} routes to ${got} (${by}), which has no ready endpoints (503)`);
  return result(true, `${request} routes to ${want} (${by}, class ${wantClass})${hidden}`);
}

function defaultClass(snap: ClusterSnapshot): string | undefined {
  return snap.ingressClasses.find(
    (c) => c.metadata.annotations?.["ingressclass.kubernetes.io/is-default-class"] === "true",
  )?.metadata.name;
}
