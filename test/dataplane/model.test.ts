import { expect } from "chai";
import type { KObject } from "../../src/k8s/types.ts";
import type { ClusterSnapshot } from "../../src/diagnose/types.ts";
import { modelConnectivity } from "../../src/dataplane/connectivity.ts";
import { modelRoute } from "../../src/dataplane/route.ts";

const NS = "kd-shop";
const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Partial<KObject> = {},
  namespace: string | undefined = NS,
): KObject =>
  ({
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(extra.metadata ?? {}) },
    ...extra,
  }) as KObject;
const pod = (name: string, labels: Record<string, string>, ip: string, annotations?: Record<string, string>) =>
  obj("v1", "Pod", name, {
    metadata: { name, namespace: NS, labels, ...(annotations ? { annotations } : {}) },
    status: { phase: "Running", podIP: ip },
  });

function snapshot(extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    nodes: [
      obj(
        "v1",
        "Node",
        "worker",
        { status: { addresses: [{ type: "InternalIP", address: "172.18.0.3" }] } },
        undefined,
      ),
    ],
    pods: [pod("orders-1", { app: "orders" }, "10.244.1.5"), pod("db-0", { app: "db" }, "10.244.2.7")],
    events: [],
    services: [
      obj("v1", "Service", "db", { spec: { selector: { app: "db" }, ports: [{ port: 5432, targetPort: 5432 }] } }),
    ],
    endpointSlices: [
      obj("discovery.k8s.io/v1", "EndpointSlice", "db-x", {
        metadata: { name: "db-x", namespace: NS, labels: { "kubernetes.io/service-name": "db" } },
        endpoints: [{ addresses: ["10.244.2.7"], conditions: { ready: true } }],
      } as Partial<KObject>),
    ],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    resourceQuotas: [],
    persistentVolumeClaims: [],
    persistentVolumes: [],
    storageClasses: [],
    ingresses: [],
    ingressClasses: [],
    networkPolicies: [],
    jobs: [],
    namespaces: [],
    runtimeClasses: [],
    csiDrivers: [],
    secretNames: [],
    ipPools: [obj("crd.projectcalico.org/v1", "IPPool", "default", { spec: { cidr: "10.244.0.0/16" } }, undefined)],
    network: { serviceCIDR: "10.96.0.0/16", podCIDR: "10.244.0.0/16" },
    ...extra,
  };
}
const conn = { from: "app=orders", to: { service: "db", port: 5432 }, namespace: NS };
const net = { serviceCIDR: "10.96.0.0/16" };

describe("modelled data plane: connectivity", () => {
  it("passes on a healthy namespace and says it is modelled", () => {
    const r = modelConnectivity(conn, snapshot(), net);
    expect(r).to.include({ ok: true });
    expect(r.message).to.match(/1 pod\(s\) app=orders reach kd-shop\/db:5432/);
  });

  it("fails when the client's IP pool overlaps the service CIDR", () => {
    const s = snapshot();
    s.ipPools.push(
      obj("crd.projectcalico.org/v1", "IPPool", "orders-pool", { spec: { cidr: "10.96.0.0/20" } }, undefined),
    );
    s.pods[0] = pod("orders-1", { app: "orders" }, "10.244.1.5", {
      "cni.projectcalico.org/ipv4pools": '["orders-pool"]',
    });
    const r = modelConnectivity(conn, s, net);
    expect(r.ok).to.equal(false);
    expect(r.message).to.include("IPPool orders-pool (10.96.0.0/20), which overlaps the service CIDR 10.96.0.0/16");
  });

  it("keeps failing for pods still on a pool that was disabled, until they are recreated", () => {
    const s = snapshot();
    s.ipPools.push(
      obj(
        "crd.projectcalico.org/v1",
        "IPPool",
        "orders-pool",
        { spec: { cidr: "10.96.0.0/20", disabled: true } },
        undefined,
      ),
    );
    s.pods[0] = pod("orders-1", { app: "orders" }, "10.244.1.5", {
      "cni.projectcalico.org/ipv4pools": '["orders-pool"]',
    });
    expect(modelConnectivity(conn, s, net).ok).to.equal(false);
    s.pods[0] = pod("orders-2", { app: "orders" }, "10.244.1.6");
    expect(modelConnectivity(conn, s, net).ok, "a recreated pod without the annotation").to.equal(true);
  });

  it("fails without ready endpoints, and when a NetworkPolicy admits nobody", () => {
    expect(modelConnectivity(conn, snapshot({ endpointSlices: [] }), net).message).to.include("no ready endpoints");
    const deny = obj("networking.k8s.io/v1", "NetworkPolicy", "deny", {
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
    const r = modelConnectivity(conn, snapshot({ networkPolicies: [deny] }), net);
    expect(r.ok).to.equal(false);
    expect(r.message).to.include("NetworkPolicy deny");
    const allow = obj("networking.k8s.io/v1", "NetworkPolicy", "allow-orders", {
      spec: {
        podSelector: { matchLabels: { app: "db" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "orders" } } }] }],
      },
    });
    expect(modelConnectivity(conn, snapshot({ networkPolicies: [deny, allow] }), net).ok).to.equal(true);
  });
});

const ingress = (name: string, host: string, path: string, service: string, cls?: string, pathType = "Prefix") =>
  obj("networking.k8s.io/v1", "Ingress", name, {
    spec: {
      ...(cls ? { ingressClassName: cls } : {}),
      rules: [
        { host, http: { paths: [{ path, pathType, backend: { service: { name: service, port: { number: 80 } } } }] } },
      ],
    },
  });

/** Services that answer: each with one ready endpoint. */
function routed(extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const names = ["frontend", "api", "api-test"];
  return snapshot({
    services: names.map((n) => obj("v1", "Service", n, { spec: { selector: { app: n }, ports: [{ port: 80 }] } })),
    endpointSlices: names.map((n, i) =>
      obj("discovery.k8s.io/v1", "EndpointSlice", `${n}-x`, {
        metadata: { name: `${n}-x`, namespace: NS, labels: { "kubernetes.io/service-name": n } },
        endpoints: [{ addresses: [`10.244.3.${i + 1}`], conditions: { ready: true } }],
      } as Partial<KObject>),
    ),
    ...extra,
  });
}

describe("modelled data plane: Ingress routing", () => {
  const route = {
    host: "shop.example",
    path: "/api/orders",
    expectService: "api",
    ingressClass: "prod",
    namespace: NS,
  };

  it("routes to the single most specific rule", () => {
    const s = routed({
      ingresses: [
        ingress("web", "shop.example", "/", "frontend", "prod"),
        ingress("api", "shop.example", "/api", "api", "prod"),
      ],
    });
    expect(modelRoute(route, s)).to.include({ ok: true });
  });

  it("keeps the oldest Ingress's rule when two claim the same path, as ingress-nginx does", () => {
    const at = (t: string) => ({ metadata: { creationTimestamp: t } });
    const older = ingress("api", "shop.example", "/api", "api", "prod");
    const younger = ingress("api-test", "shop.example", "/api", "api-test", "prod");
    Object.assign(older.metadata, at("2026-01-01T00:00:00Z").metadata);
    Object.assign(younger.metadata, at("2026-01-01T00:00:05Z").metadata);
    // the order in the snapshot does not matter, only the creation times
    const r = modelRoute(route, routed({ ingresses: [younger, older] }));
    expect(r.ok).to.equal(true);
    expect(r.message).to.include("the same rule in kd-shop/api-test is ignored");
    const flipped = modelRoute(
      route,
      routed({
        ingresses: [{ ...older, metadata: { ...older.metadata, creationTimestamp: "2026-01-01T00:00:09Z" } }, younger],
      }),
    );
    expect(flipped.ok).to.equal(false);
    expect(flipped.message).to.include("routes to kd-shop/api-test");
  });

  it("fails when a younger Ingress claims a more specific path under the service's prefix", () => {
    const s = routed({
      ingresses: [
        ingress("api", "shop.example", "/api", "api", "prod"),
        ingress("api-test", "shop.example", "/api/orders", "api-test", "prod"),
      ],
    });
    const r = modelRoute(route, s);
    expect(r.ok).to.equal(false);
    expect(r.message).to.include("routes to kd-shop/api-test (Ingress kd-shop/api-test, Prefix /api/orders)");
    expect(modelRoute({ ...route, path: "/api/users" }, s).ok).to.equal(true);
  });

  it("passes once the test Ingress has its own class or host", () => {
    const own = routed({
      ingresses: [
        ingress("api", "shop.example", "/api", "api", "prod"),
        ingress("api-test", "shop.example", "/api", "api-test", "test"),
      ],
    });
    expect(modelRoute(route, own).ok).to.equal(true);
    const host = routed({
      ingresses: [
        ingress("api", "shop.example", "/api", "api", "prod"),
        ingress("api-test", "test.shop.example", "/api", "api-test", "prod"),
      ],
    });
    expect(modelRoute(route, host).ok).to.equal(true);
  });

  it("prefers Exact over Prefix and does not treat /apiv2 as under /api", () => {
    const s = routed({
      ingresses: [
        ingress("api", "shop.example", "/api", "api", "prod"),
        ingress("v2", "shop.example", "/apiv2", "v2", "prod"),
      ],
    });
    expect(modelRoute({ ...route, path: "/apiv2" }, s).message).to.include("routes to kd-shop/v2");
    const e = routed({
      ingresses: [
        ingress("api", "shop.example", "/api", "api", "prod"),
        ingress("x", "shop.example", "/api/orders", "orders", "prod", "Exact"),
      ],
    });
    expect(modelRoute(route, e).message).to.include("routes to kd-shop/orders (Ingress kd-shop/x, Exact /api/orders)");
    expect(modelRoute({ ...route, path: "/nope" }, e).message).to.include("404");
  });
  it("answers 503 when the rule's Service is missing or has no ready endpoint, as ingress-nginx does", () => {
    const ingresses = [ingress("api", "shop.example", "/api", "api", "prod")];
    const full = routed({ ingresses });
    expect(modelRoute(route, full).ok).to.equal(true);
    const noEndpoints = routed({
      ingresses,
      endpointSlices: full.endpointSlices.map((e) =>
        e.metadata.name === "api-x"
          ? { ...e, endpoints: [{ addresses: ["10.244.3.2"], conditions: { ready: false } }] }
          : e,
      ),
    });
    expect(modelRoute(route, noEndpoints).message).to.match(
      /routes to kd-shop\/api \(.*\), which has no ready endpoints \(503\)/,
    );
    const missing = routed({ ingresses, services: full.services.filter((x) => x.metadata.name !== "api") });
    expect(modelRoute(route, missing)).to.include({ ok: false });
    expect(modelRoute(route, missing).message).to.match(/which does not exist \(503\)/);
  });
});
