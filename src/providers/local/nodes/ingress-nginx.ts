import path from "node:path";
import type { KObject } from "../../../k8s/types.ts";
import { elements } from "../../../diagnose/util/ingress-paths.ts";
import { routingTable, type IngressRoute } from "../../../dataplane/ingress-rules.ts";

/** The class the local cluster's controller serves, and the controller name kind's ingress-nginx uses. */
export const INGRESS_CLASS = "nginx";
export const INGRESS_CONTROLLER = "k8s.io/ingress-nginx";

export interface IngressState {
  ingresses: KObject[];
  ingressClasses: KObject[];
  services: KObject[];
  endpointSlices: KObject[];
}

/**
 * nginx's configuration for the Ingress objects of our class, by the rules in
 * src/dataplane/ingress-rules.ts. nginx itself does the matching: every host is a
 * `server`, a rule without a host goes to the default server; Exact is `location = P`;
 * Prefix P is `location = P` plus `location P/` (nginx takes the longest prefix, which on
 * whole elements is Kubernetes' Prefix rule), with `location /` for Prefix "/". Requests
 * go straight to the Service's ready endpoints, as ingress-nginx does; a Service without
 * one answers 503, a request no rule matches 404.
 */
export function renderNginxConfig(s: IngressState, o: { listen: string; dir: string }): string {
  const table = routingTable(s.ingresses, s.ingressClasses, INGRESS_CLASS);
  const upstreams = new Map<string, string[]>();
  const servers: string[] = [];
  const hosts = [...table.keys()].filter((h) => h !== "").sort();
  for (const host of ["", ...hosts]) {
    const routes = table.get(host) ?? [];
    const locations = new Map<string, string>();
    // Exact rules first, so an Exact and a Prefix on the same path give the exact location to Exact
    for (const r of [...routes].sort((a, b) => (a.type === b.type ? 0 : a.type === "Exact" ? -1 : 1))) {
      const target = upstreamFor(r, s, upstreams);
      const body = target ? `proxy_pass http://${target};` : "return 503;";
      const comment = `# ${r.type} ${r.path} -> ${r.service.namespace}/${r.service.name}:${r.service.port} (Ingress ${r.ingress.namespace}/${r.ingress.name})`;
      const add = (loc: string) => {
        if (!locations.has(loc)) locations.set(loc, `    ${comment}\n    location ${loc} { ${body} }`);
      };
      if (r.type === "Exact") add(`= ${quote(r.path)}`);
      else {
        const els = elements(r.path);
        if (els.length === 0) add("/");
        else {
          add(`= ${quote(`/${els.join("/")}`)}`);
          add(quote(`/${els.join("/")}/`));
        }
      }
    }
    if (!locations.has("/")) locations.set("/", "    location / { return 404; }");
    const listen = host === "" ? `listen ${o.listen} default_server;` : `listen ${o.listen};`;
    servers.push(
      [
        `  server {`,
        `    ${listen}`,
        `    server_name ${host === "" ? "_" : host};`,
        ...locations.values(),
        "  }",
      ].join("\n"),
    );
  }
  const tmp = (n: string) => `${n}_temp_path ${path.join(o.dir, "tmp", n)};`;
  return [
    "# written by kubedrill's Ingress controller for the local cluster; changes are overwritten",
    "worker_processes 1;",
    `pid ${path.join(o.dir, "nginx.pid")};`,
    `error_log ${path.join(o.dir, "error.log")} warn;`,
    "events { worker_connections 1024; }",
    "http {",
    `  access_log ${path.join(o.dir, "access.log")};`,
    `  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(tmp).join("\n  ")}`,
    "  server_names_hash_bucket_size 128;",
    "  proxy_http_version 1.1;",
    "  proxy_connect_timeout 5s;",
    "  proxy_set_header Host $host;",
    "  proxy_set_header X-Real-IP $remote_addr;",
    "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "  proxy_set_header X-Forwarded-Host $host;",
    ...[...upstreams].map(
      ([name, addrs]) => `  upstream ${name} {\n${addrs.map((a) => `    server ${a};`).join("\n")}\n  }`,
    ),
    ...servers,
    "}",
    "",
  ].join("\n");
}

/** The upstream of a route's ready endpoints (registered in `upstreams`), or undefined when there is none. */
function upstreamFor(r: IngressRoute, s: IngressState, upstreams: Map<string, string[]>): string | undefined {
  const svc = s.services.find(
    (x) => x.metadata.namespace === r.service.namespace && x.metadata.name === r.service.name,
  );
  if (!svc) return undefined;
  const ports = (svc.spec?.ports ?? []) as { name?: string; port?: number }[];
  const port = ports.find((p) =>
    typeof r.service.port === "number" ? p.port === r.service.port : p.name === r.service.port,
  );
  if (!port) return undefined;
  const portName = port.name ?? "";
  const addrs = new Set<string>();
  for (const slice of s.endpointSlices) {
    if (slice.metadata.namespace !== r.service.namespace) continue;
    if (slice.metadata.labels?.["kubernetes.io/service-name"] !== r.service.name) continue;
    if (slice.addressType && slice.addressType !== "IPv4") continue;
    const target = ((slice.ports ?? []) as { name?: string; port?: number }[]).find(
      (p) => (p.name ?? "") === portName,
    )?.port;
    if (!target) continue;
    for (const e of (slice.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean } }[]) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses ?? []) addrs.add(`${a}:${target}`);
    }
  }
  if (addrs.size === 0) return undefined;
  const name = `${r.service.namespace}_${r.service.name}_${port.port}`.replace(/[^A-Za-z0-9_]/g, "_");
  upstreams.set(name, [...addrs].sort());
  return name;
}

/** A location or path as an nginx string literal. */
function quote(p: string): string {
  return /^[A-Za-z0-9/._~%!*+,=:@-]+$/.test(p) ? p : `"${p.replace(/["\\]/g, "\\$&")}"`;
}
