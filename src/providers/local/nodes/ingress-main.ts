// The local cluster's Ingress controller as its own process, started in the cluster's router
// namespace (which routes to every pod): it runs Debian's nginx as its child and rewrites
// nginx's configuration whenever an Ingress, IngressClass, Service or EndpointSlice changes.
//   node ingress-main.ts <kubeconfig> <listen address:port> <folder>
import { spawn } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createKube } from "../../../k8s/client.ts";
import type { KObject, ResourceType } from "../../../k8s/types.ts";
import { createLogger } from "../../../util/log.ts";
import { renderNginxConfig, type IngressState } from "./ingress-nginx.ts";

const argv = process.argv.slice(2);
if (argv.length !== 3) throw new Error("usage: ingress-main.ts <kubeconfig> <address:port> <folder>");
const [kubeconfig, listen, dir] = argv as [string, string, string];
const NGINX = "/usr/sbin/nginx";
const log = createLogger({ format: "json", write: (l) => process.stdout.write(l + "\n") });
const conf = path.join(dir, "nginx.conf");
for (const t of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
  mkdirSync(path.join(dir, "tmp", t), { recursive: true });

const kube = createKube(kubeconfig);
const state: Record<keyof IngressState, Map<string, KObject>> = {
  ingresses: new Map(),
  ingressClasses: new Map(),
  services: new Map(),
  endpointSlices: new Map(),
};
const types: [keyof IngressState, ResourceType][] = [
  ["ingresses", { apiVersion: "networking.k8s.io/v1", kind: "Ingress" }],
  ["ingressClasses", { apiVersion: "networking.k8s.io/v1", kind: "IngressClass" }],
  ["services", { apiVersion: "v1", kind: "Service" }],
  ["endpointSlices", { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice" }],
];

const snapshot = (): IngressState => ({
  ingresses: [...state.ingresses.values()],
  ingressClasses: [...state.ingressClasses.values()],
  services: [...state.services.values()],
  endpointSlices: [...state.endpointSlices.values()],
});

let written = "";
function writeConfig(): boolean {
  const text = renderNginxConfig(snapshot(), { listen, dir });
  if (text === written) return false;
  writeFileSync(`${conf}.tmp`, text);
  renameSync(`${conf}.tmp`, conf);
  written = text;
  return true;
}

// nginx starts with the configuration of what exists now, then follows the changes
const versions = new Map<keyof IngressState, string>();
for (const [key, type] of types) {
  const { items, resourceVersion } = await kube.list(type);
  for (const o of items) state[key].set(`${o.metadata.namespace ?? ""}/${o.metadata.name}`, o);
  versions.set(key, resourceVersion);
}
writeConfig();
const nginx = spawn(NGINX, ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log"), "-g", "daemon off;"], {
  stdio: ["ignore", "inherit", "inherit"],
});
let stopping = false;
let handles: { stop(): void }[] = [];
nginx.on("exit", (code, sig) => {
  if (!stopping) log.error(`nginx exited (${sig ?? `code ${code}`}); see ${path.join(dir, "error.log")}`);
  process.exitCode = stopping ? 0 : 1;
  // with the watches stopped nothing keeps this process alive: it ends by itself
  stopping = true;
  handles.forEach((h) => h.stop());
  if (timer) clearTimeout(timer);
});

let timer: NodeJS.Timeout | undefined;
let reloads = 0;
function schedule(): void {
  // changes arrive in bursts (a Deployment's pods, a slice per change): one reload per burst
  timer ??= setTimeout(() => {
    timer = undefined;
    if (!writeConfig()) return;
    reloads++;
    nginx.kill("SIGHUP");
    log.info(`configuration ${reloads} loaded`, { ingresses: state.ingresses.size });
  }, 50);
}

handles = await Promise.all(
  types.map(([key, type]) =>
    kube.watch(
      type,
      { resourceVersion: versions.get(key)! },
      (e) => {
        const k = `${e.object.metadata.namespace ?? ""}/${e.object.metadata.name}`;
        if (e.type === "DELETED") state[key].delete(k);
        else state[key].set(k, e.object);
        schedule();
      },
      (err) => log.error(`watching ${type.kind} failed: ${err.message}`),
    ),
  ),
);
log.info(`Ingress controller for class nginx listening on ${listen}`, { nginxPid: nginx.pid });

for (const sig of ["SIGTERM", "SIGINT"] as const)
  process.on(sig, () => {
    stopping = true;
    nginx.kill("SIGQUIT"); // graceful: finish the requests in flight
    setTimeout(() => nginx.kill("SIGKILL"), 3000).unref();
  });
