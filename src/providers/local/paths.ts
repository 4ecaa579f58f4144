import os from "node:os";
import path from "node:path";
import { RUNNING_COMPILED, sourceAsset } from "../../util/package-root.ts";
import { fileURLToPath } from "node:url";

/**
 * Where the local provider keeps things.
 * - Binaries: KUBEDRILL_CACHE_DIR, else $XDG_CACHE_HOME/kubedrill, else ~/.cache/kubedrill.
 *   Never inside the repository.
 * - Running clusters: KUBEDRILL_STATE_DIR, else <os tmpdir>/kubedrill-<uid>/clusters/<name>.
 *   `cluster down` removes a cluster's folder.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBEDRILL_CACHE_DIR) return path.resolve(env.KUBEDRILL_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "kubedrill");
}

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBEDRILL_STATE_DIR) return path.resolve(env.KUBEDRILL_STATE_DIR);
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  return path.join(os.tmpdir(), `kubedrill-${uid}`, "clusters");
}

export function clusterDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateRoot(env), name);
}

/** The Go wrapper modules shipped with kubedrill (src/providers/local/go/). */
export function goSourceDir(): string {
  return sourceAsset("providers", "local", "go") + path.sep;
}

export function kwokAssetDir(): string {
  return sourceAsset("providers", "local", "kwok") + path.sep;
}

/** The provisioner's entry point: compiled JavaScript when kubedrill runs compiled, else its source (run through tsx). */
export function provisionerMain(): string {
  return fileURLToPath(new URL(RUNNING_COMPILED ? "./provisioner-main.js" : "./provisioner-main.ts", import.meta.url));
}
