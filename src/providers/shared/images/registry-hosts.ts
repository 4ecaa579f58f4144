import fs from "node:fs/promises";
import path from "node:path";

/** The registries the scenarios name, plus our own names; each resolves to the cluster's registry. */
export const MIRRORED = ["docker.io", "ghcr.io", "registry.k8s.io", "quay.io", "kubedrill.local"];

/**
 * containerd's hosts.toml for `host`, sending every pull to `url` under `/v2/<host>/`
 * (override_path), so one registry holds the repositories of several hosts apart
 * (`docker.io/library/nginx`, `ghcr.io/stefanprodan/podinfo`). `server` is the local
 * registry itself: there is no fallback to the real one, so a name the local registry lacks
 * fails with its own "not found".
 */
export function hostsToml(host: string, url: string): string {
  const server = JSON.stringify(`${url}/v2/${host}`);
  return `# ${host}: the cluster's local registry (written by kubedrill)
server = ${server}

[host.${server}]
  capabilities = ["pull", "resolve"]
  override_path = true
`;
}

/** Writes `<dir>/<host>/hosts.toml` for each mirrored host; `dir` is containerd's registry config_path. */
export async function writeRegistryHosts(dir: string, hosts: Record<string, string>): Promise<void> {
  for (const [host, url] of Object.entries(hosts)) {
    await fs.mkdir(path.join(dir, host), { recursive: true });
    await fs.writeFile(path.join(dir, host, "hosts.toml"), hostsToml(host, url));
  }
}
