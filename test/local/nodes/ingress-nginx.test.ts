import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { KObject } from "../../../src/k8s/types.ts";
import { renderNginxConfig, type IngressState } from "../../../src/providers/local/nodes/ingress-nginx.ts";
import { resolveRoute, routingTable } from "../../../src/dataplane/ingress-rules.ts";

let seq = 0;
const ingress = (
  name: string,
  rules: { host?: string; path: string; type?: string; service: string; port?: number | string }[],
  o: { cls?: string; created?: string; namespace?: string } = {},
): KObject =>
  ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name,
      namespace: o.namespace ?? "shop",
      creationTimestamp: o.created ?? `2026-01-01T00:00:${String(seq++).padStart(2, "0")}Z`,
    },
    spec: {
      ingressClassName: o.cls ?? "nginx",
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: {
          paths: [
            {
              path: r.path,
              pathType: r.type ?? "Prefix",
              backend: {
                service: {
                  name: r.service,
                  port: typeof r.port === "string" ? { name: r.port } : { number: r.port ?? 80 },
                },
              },
            },
          ],
        },
      })),
    },
  }) as KObject;

const service = (name: string, ports: { name?: string; port: number }[], namespace = "shop"): KObject =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { ports } }) as KObject;
const slice = (svc: string, ports: { name?: string; port: number }[], eps: [string, boolean][]): KObject =>
  ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${svc}-x`, namespace: "shop", labels: { "kubernetes.io/service-name": svc } },
    addressType: "IPv4",
    ports,
    endpoints: eps.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
  }) as KObject;

describe("Ingress routing by ingress-nginx's rules", () => {
  const t = (ings: KObject[], cls = "nginx") => routingTable(ings, [], cls);
  const who = (ings: KObject[], host: string | undefined, p: string) => resolveRoute(t(ings), host, p)?.service.name;

  it("merges rules of one host across Ingresses and takes the longest whole-element prefix", () => {
    const ings = [
      ingress("shop", [
        { host: "shop.example", path: "/", service: "frontend" },
        { host: "shop.example", path: "/api", service: "api" },
      ]),
      ingress("orders", [{ host: "shop.example", path: "/api/orders", service: "orders" }]),
    ];
    expect(who(ings, "shop.example", "/api/orders/7")).to.equal("orders");
    expect(who(ings, "shop.example", "/api/users")).to.equal("api");
    expect(who(ings, "shop.example", "/apiv2")).to.equal("frontend");
    expect(who(ings, "SHOP.example:80", "/api")).to.equal("api");
  });

  it("keeps the oldest Ingress's rule for the same host, path and type", () => {
    const old = ingress("a", [{ host: "h", path: "/api", service: "old" }], { created: "2026-01-01T00:00:00Z" });
    const young = ingress("b", [{ host: "h", path: "/api/", service: "young" }], { created: "2026-01-02T00:00:00Z" });
    expect(who([young, old], "h", "/api/x")).to.equal("old");
    expect(resolveRoute(t([young, old]), "h", "/api")!.shadowed).to.deep.equal([
      { namespace: "shop", name: "b", service: "young" },
    ]);
    // an Exact rule is a different rule: it wins its one path
    const exact = ingress("c", [{ host: "h", path: "/api", type: "Exact", service: "exact" }]);
    expect(who([old, exact], "h", "/api")).to.equal("exact");
    expect(who([old, exact], "h", "/api/x")).to.equal("old");
  });

  it("serves only its class, the default server for unknown hosts, and wildcards for one label", () => {
    const ings = [
      ingress("other", [{ host: "h", path: "/", service: "other" }], { cls: "traefik" }),
      ingress("any", [{ path: "/", service: "fallback" }]),
      ingress("wild", [{ host: "*.example.com", path: "/", service: "wild" }]),
    ];
    expect(who(ings, "h", "/")).to.equal("fallback");
    expect(who(ings, "a.example.com", "/")).to.equal("wild");
    expect(who(ings, "a.b.example.com", "/")).to.equal("fallback");
    expect(who([ingress("only", [{ host: "h", path: "/x", service: "x" }])], "h", "/y")).to.equal(undefined);
  });
});

describe("the local Ingress controller's nginx configuration", () => {
  let dir = "";
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "kd-nginx-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const state = (over: Partial<IngressState> = {}): IngressState => ({
    ingresses: [
      ingress("shop", [
        { host: "shop.example", path: "/", service: "frontend" },
        { host: "shop.example", path: "/api", service: "api", port: "http" },
        { host: "shop.example", path: "/health", type: "Exact", service: "frontend" },
      ]),
    ],
    ingressClasses: [],
    services: [service("frontend", [{ port: 80 }]), service("api", [{ name: "http", port: 8080 }])],
    endpointSlices: [
      slice(
        "frontend",
        [{ port: 8080 }],
        [
          ["10.244.1.5", true],
          ["10.244.2.5", false],
        ],
      ),
      slice("api", [{ name: "http", port: 9898 }], [["10.244.3.7", true]]),
    ],
    ...over,
  });

  it("sends each location to the ready endpoints of its Service's target port", () => {
    const conf = renderNginxConfig(state(), { listen: "10.250.9.1:80", dir });
    expect(conf).to.include("upstream shop_frontend_80 {\n    server 10.244.1.5:8080;\n  }");
    expect(conf).to.not.include("10.244.2.5");
    expect(conf).to.include("upstream shop_api_8080 {\n    server 10.244.3.7:9898;\n  }");
    expect(conf).to.match(/server_name shop\.example;[\s\S]*location = \/api \{ proxy_pass http:\/\/shop_api_8080; \}/);
    expect(conf).to.include("location /api/ { proxy_pass http://shop_api_8080; }");
    expect(conf).to.include("location = /health { proxy_pass http://shop_frontend_80; }");
    expect(conf).to.match(/listen 10\.250\.9\.1:80 default_server;\s+server_name _;\s+location \/ \{ return 404; \}/);
  });

  it("answers 503 for a Service without ready endpoints or unknown", () => {
    const conf = renderNginxConfig(state({ endpointSlices: [] }), { listen: "127.0.0.1:80", dir });
    expect(conf).to.include("location /api/ { return 503; }");
    const none = renderNginxConfig(state({ services: [] }), { listen: "127.0.0.1:80", dir });
    expect(none).to.include("location / { return 503; }");
    expect(none).to.not.include("upstream");
  });

  it("is a configuration nginx accepts, odd paths included", async function () {
    if (!existsSync("/usr/sbin/nginx")) {
      console.log("    (nginx is not installed here: apt-get install nginx-light; checked only as text)");
      this.skip();
    }
    const s = state();
    s.ingresses.push(
      ingress("odd", [
        { host: "odd.example", path: "/a b/{x};", service: "api", port: "http" },
        { host: "*.wild.example", path: "/", type: "Exact", service: "frontend" },
      ]),
    );
    for (const t of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
      mkdirSync(path.join(dir, "tmp", t), { recursive: true });
    const conf = path.join(dir, "nginx.conf");
    writeFileSync(conf, renderNginxConfig(s, { listen: "127.0.0.1:18080", dir }));
    const r = await execa("/usr/sbin/nginx", ["-t", "-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], {
      reject: false,
    });
    expect(r.exitCode, r.stderr).to.equal(0);
  });
});
