import type { KObject } from "../k8s/types.ts";
import type { ClusterSnapshot } from "../diagnose/types.ts";
import type { ConnectivityParams, DataPlaneAnswer } from "../sdk/types.ts";
import { labelMatcher } from "../sdk/selector.ts";
import { containsIp, overlaps, tryParseCidr, tryParseIp, type Cidr } from "../diagnose/util/cidr.ts";
import { internalIPs } from "../diagnose/util/nodes.ts";
import { matchesLabelSelector, matchesMap, type LabelSelector } from "../diagnose/util/selectors.ts";

/** The annotation Calico reads to pick a pod's IP pool(s): a JSON list of pool names. */
const CALICO_POOL_ANNOTATION = "cni.projectcalico.org/ipv4pools";

const result = (ok: boolean, message: string): DataPlaneAnswer => ({ ok, message: `${message} [modelled data plane]` });
const running = (p: KObject) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp;

/**
 * Pod-to-Service reachability worked out from cluster state, for clusters without a data
 * plane. It answers the questions the article's diagnosis asks in order: does the Service
 * exist and expose the port; does it have ready endpoints; does the CNI give either side an
 * address from an IP pool that overlaps the service range or node addresses (replies then
 * go to the wrong place); does a NetworkPolicy on the server pods admit the clients.
 */
export function modelConnectivity(
  p: ConnectivityParams,
  snap: ClusterSnapshot,
  network: { serviceCIDR?: string },
): DataPlaneAnswer {
  const ns = p.to.namespace ?? p.namespace;
  const target = `${ns}/${p.to.service}:${p.to.port}`;
  const svc = snap.services.find((s) => s.metadata.namespace === ns && s.metadata.name === p.to.service);
  if (!svc) return result(false, `service ${ns}/${p.to.service} does not exist`);
  const port = (svc.spec?.ports ?? []).find((x: { port: number }) => x.port === p.to.port);
  if (!port) return result(false, `service ${ns}/${p.to.service} has no port ${p.to.port}`);
  const matches = labelMatcher(p.from);
  const clients = snap.pods.filter(
    (x) => x.metadata.namespace === p.namespace && matches(x.metadata.labels ?? {}) && running(x),
  );
  if (clients.length === 0) return result(false, `no running pod in ${p.namespace} matches ${p.from}`);
  const servers = snap.pods.filter(
    (x) => x.metadata.namespace === ns && matchesMap(svc.spec?.selector, x.metadata.labels ?? {}) && running(x),
  );
  const readyIPs = readyEndpointIPs(snap, ns, p.to.service);
  if (readyIPs.size === 0) return result(false, `service ${target} has no ready endpoints`);

  const blocked = [...clients, ...servers].map((pod) => poolProblem(pod, snap, network)).find(Boolean);
  if (blocked) return result(false, `${blocked}, so ${p.from} cannot reach ${target}`);

  const denied = policyDenial(clients, servers, ns, snap, port);
  if (denied) return result(false, `${denied}: ${p.from} cannot reach ${target}`);
  return result(true, `${clients.length} pod(s) ${p.from} reach ${target} (${readyIPs.size} ready endpoint(s))`);
}

/** The addresses of a Service's ready endpoints, from its EndpointSlices (ready unset counts as ready). */
export function readyEndpointIPs(snap: ClusterSnapshot, namespace: string, service: string): Set<string> {
  return new Set(
    snap.endpointSlices
      .filter(
        (e) => e.metadata.namespace === namespace && e.metadata.labels?.["kubernetes.io/service-name"] === service,
      )
      .flatMap((e) => (e.endpoints ?? []) as { addresses: string[]; conditions?: { ready?: boolean } }[])
      .filter((e) => e.conditions?.ready !== false)
      .flatMap((e) => e.addresses),
  );
}

function pools(snap: ClusterSnapshot, enabledOnly: boolean): { pool: KObject; cidr: Cidr }[] {
  return snap.ipPools
    .filter((x) => !enabledOnly || x.spec?.disabled !== true)
    .map((pool) => ({ pool, cidr: tryParseCidr(String(pool.spec?.cidr ?? "")) }))
    .filter((x): x is { pool: KObject; cidr: Cidr } => x.cidr !== undefined);
}

/**
 * The pool the CNI took the pod's address from: the pool its annotation names (even if
 * that pool was disabled since: a running pod keeps its address until it is recreated),
 * else the enabled pool holding its IP.
 */
function poolOf(pod: KObject, snap: ClusterSnapshot): { pool: KObject; cidr: Cidr } | undefined {
  const all = pools(snap, false);
  const wanted = pod.metadata.annotations?.[CALICO_POOL_ANNOTATION];
  if (wanted) {
    let names: string[] = [];
    try {
      names = JSON.parse(wanted) as string[];
    } catch {
      names = wanted.split(",").map((s) => s.trim());
    }
    for (const n of names) {
      const hit = all.find((x) => x.pool.metadata.name === n || String(x.pool.spec?.cidr) === n);
      if (hit) return hit;
    }
  }
  const ip = tryParseIp(String(pod.status?.podIP ?? ""));
  return ip ? pools(snap, true).find((x) => containsIp(x.cidr, ip)) : undefined;
}

function poolProblem(pod: KObject, snap: ClusterSnapshot, network: { serviceCIDR?: string }): string | undefined {
  const hit = poolOf(pod, snap);
  if (!hit) return undefined;
  const who = `pod ${pod.metadata.name} gets its address from IPPool ${hit.pool.metadata.name} (${hit.pool.spec.cidr})`;
  const svcRange = tryParseCidr(network.serviceCIDR ?? "");
  if (svcRange && overlaps(hit.cidr, svcRange))
    return `${who}, which overlaps the service CIDR ${network.serviceCIDR}: its traffic is taken for Service VIPs`;
  for (const node of snap.nodes) {
    for (const addr of internalIPs(node)) {
      const ip = tryParseIp(addr);
      if (ip && containsIp(hit.cidr, ip))
        return `${who}, which contains node ${node.metadata.name}'s address ${addr}: routes to it are ambiguous`;
    }
  }
  return undefined;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

function policyDenial(
  clients: KObject[],
  servers: KObject[],
  ns: string,
  snap: ClusterSnapshot,
  port: { port: number; targetPort?: number | string; name?: string },
): string | undefined {
  for (const server of servers) {
    const policies = snap.networkPolicies.filter(
      (np) =>
        np.metadata.namespace === ns &&
        matchesLabelSelector(np.spec?.podSelector ?? {}, server.metadata.labels ?? {}) &&
        governsIngress(np),
    );
    if (policies.length === 0) continue;
    for (const client of clients) {
      const allowed = policies.some((np) =>
        ((np.spec?.ingress ?? []) as { from?: Peer[]; ports?: { port?: number | string }[] }[]).some((rule) =>
          admits(rule, client, ns, port),
        ),
      );
      if (!allowed)
        return `NetworkPolicy ${policies.map((x) => x.metadata.name).join(", ")} on ${ns}/${server.metadata.name} admits no traffic from ${client.metadata.namespace}/${client.metadata.name}`;
    }
  }
  return undefined;
}

function governsIngress(np: KObject): boolean {
  const types: string[] | undefined = np.spec?.policyTypes;
  return types ? types.includes("Ingress") : true;
}

function admits(
  rule: { from?: Peer[]; ports?: { port?: number | string }[] },
  client: KObject,
  serverNs: string,
  port: { port: number; targetPort?: number | string; name?: string },
): boolean {
  if (rule.ports && rule.ports.length > 0) {
    const target = port.targetPort ?? port.port;
    if (!rule.ports.some((r) => r.port === undefined || r.port === target || r.port === port.name)) return false;
  }
  if (!rule.from || rule.from.length === 0) return true;
  const clientNs = client.metadata.namespace ?? "";
  const nsLabels = { "kubernetes.io/metadata.name": clientNs };
  return rule.from.some((peer) => {
    if (peer.ipBlock) return true; // an address range: assumed to admit (no pod address model here)
    const nsOk = peer.namespaceSelector
      ? matchesLabelSelector(peer.namespaceSelector, nsLabels) || isEmpty(peer.namespaceSelector)
      : clientNs === serverNs;
    const podOk = peer.podSelector
      ? matchesLabelSelector(peer.podSelector, client.metadata.labels ?? {}) || isEmpty(peer.podSelector)
      : true;
    return nsOk && podOk;
  });
}

const isEmpty = (s: LabelSelector) =>
  Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
