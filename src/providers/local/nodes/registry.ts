import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ClusterError } from "../../../errors.ts";
import type { Component } from "../components.ts";
import type { ProcessRecord } from "../processes.ts";
import { joinFiles } from "./cgroups.ts";
import { inNs, run } from "./exec.ts";
import type { Ledger } from "./ledger.ts";
import { spawnRecorded, untilExecd } from "./spawn.ts";
import type { ClusterNet } from "./subnet.ts";
import { AUTH_REGISTRY_CREDENTIALS } from "../../shared/images/names.ts";

export const DISTRIBUTION_VERSION = "v3.1.2";

/** distribution's registry, built from our wrapper module go/registry (filesystem storage, htpasswd). */
export const REGISTRY_COMPONENT: Component = {
  id: "registry",
  version: DISTRIBUTION_VERSION,
  binaries: ["registry"],
  recipe: { kind: "module", dir: "registry", packages: ["."], ldflags: "-s -w" },
};

export const REGISTRY_PORT = 5000;
/** The second registry, which asks for credentials (htpasswd, HTTP basic auth). */
export const AUTH_REGISTRY_PORT = 5001;

export interface RunningRegistry {
  url: string;
  auth?: { user: string; password: string };
  process: ProcessRecord;
}

export interface RegistryInputs {
  ledger: Ledger;
  net: ClusterNet;
  router: ProcessRecord;
  dir: string;
  /** cgroup of the router, relative to each hierarchy */
  cgroup: string;
  binary: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts the cluster's two registries inside its router namespace, on the router's bridge
 * address (the nodes' gateway), storage under `<dir>/registry/`: an open one and one that
 * requires `AUTH_REGISTRY_CREDENTIALS`. A firewall table in the router admits their ports only
 * from the node subnet (nodes and the host's link into the router), so nothing outside this
 * machine can reach them even if it routes to the subnet. Both die with the ledger's processes.
 */
export async function startRegistries(i: RegistryInputs): Promise<{ open: RunningRegistry; auth: RunningRegistry }> {
  await inNs(i.router.pid, "nft", ["-f", "-"], {
    input: `table ip kubedrill-registry {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport { ${REGISTRY_PORT}, ${AUTH_REGISTRY_PORT} } ip saddr != ${i.net.base}.0/24 drop
  }
}
`,
  });
  const open = await startOne(i, "open", REGISTRY_PORT);
  const auth = await startOne(i, "auth", AUTH_REGISTRY_PORT, AUTH_REGISTRY_CREDENTIALS);
  await Promise.all([untilServing(open), untilServing(auth)]);
  return { open, auth };
}

async function startOne(
  i: RegistryInputs,
  name: string,
  port: number,
  auth?: { user: string; password: string },
): Promise<RunningRegistry> {
  const dir = path.join(i.dir, "registry", name);
  await fs.mkdir(path.join(dir, "storage"), { recursive: true });
  const lines = [
    "version: 0.1",
    "log: { level: warn, accesslog: { disabled: true } }",
    `storage: { filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, "storage"))} }, delete: { enabled: true } }`,
    `http: { addr: "${i.net.gateway}:${port}", secret: "${randomBytes(16).toString("hex")}" }`,
  ];
  if (auth) {
    const htpasswd = path.join(dir, "htpasswd");
    await fs.writeFile(htpasswd, await run(i.binary, ["htpasswd", auth.user], { input: `${auth.password}\n` }));
    lines.push(`auth: { htpasswd: { realm: kubedrill, path: ${JSON.stringify(htpasswd)} } }`);
  }
  await fs.writeFile(path.join(dir, "config.yml"), lines.join("\n") + "\n");
  const process = spawnRecorded(
    i.ledger,
    {
      name: `registry-${name}`,
      binary: i.binary,
      args: ["serve", path.join(dir, "config.yml")],
      logFile: path.join(dir, "registry.log"),
      cgroupProcs: joinFiles(i.cgroup),
      enter: { pid: i.router.pid, mount: false },
    },
    { ...i.env, OTEL_TRACES_EXPORTER: "none" },
  );
  await untilExecd(process);
  return { url: `http://${i.net.gateway}:${port}`, ...(auth ? { auth } : {}), process };
}

/** Until GET /v2/ answers (200, or 401 from the one that wants credentials). */
async function untilServing(r: RunningRegistry, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${r.url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new ClusterError(
        `${r.process.name} did not answer on ${r.url}/v2/ within ${timeoutMs}ms; see ${r.process.logFile}`,
      );
    await new Promise((res) => setTimeout(res, 100));
  }
}
