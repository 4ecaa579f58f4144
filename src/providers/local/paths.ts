import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RUNNING_COMPILED, sourceAsset } from "../../util/package-root.ts";
import { fileURLToPath } from "node:url";
import { SafetyError } from "../../errors.ts";

/**
 * Where the local provider keeps things.
 * - Binaries: KUBEDRILL_CACHE_DIR, else $XDG_CACHE_HOME/kubedrill, else ~/.cache/kubedrill.
 *   Never inside the repository.
 * - Running clusters: KUBEDRILL_STATE_DIR, else <tmpdir>/kubedrill-<uid>/clusters/<name>
 *   (made 0700, refused when owned by someone else: ensureStateRoot). `cluster down` removes
 *   a cluster's folder. Every path of a cluster derives from its folder, never from state.json.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBEDRILL_CACHE_DIR) return path.resolve(env.KUBEDRILL_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "kubedrill");
}

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBEDRILL_STATE_DIR) return path.resolve(env.KUBEDRILL_STATE_DIR);
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  return path.join(env.TMPDIR || os.tmpdir(), `kubedrill-${uid}`, "clusters");
}

/** The admin kubeconfig of the cluster whose folder is `dir`. */
export const kubeconfigFile = (dir: string, identity = "admin") => path.join(dir, `${identity}.kubeconfig`);

/**
 * Makes the state root (and, by default, its `kubedrill-<uid>` parent in the shared temp
 * folder) 0700, and refuses a folder that is not a real folder or belongs to another user:
 * whoever owns it could plant a state.json that `cluster down` or `run` would act on. With
 * `create: false` (readers) a missing root is fine. Returns the root.
 */
export async function ensureStateRoot(
  env: NodeJS.ProcessEnv = process.env,
  o: { create?: boolean } = {},
): Promise<string> {
  const root = stateRoot(env);
  const chosen = Boolean(env.KUBEDRILL_STATE_DIR);
  // The folders kubedrill makes for itself; a KUBEDRILL_STATE_DIR is the user's own choice.
  for (const dir of chosen ? [root] : [path.dirname(root), root]) {
    if (o.create !== false) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await (chosen ? fs.stat(dir) : fs.lstat(dir)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT" && o.create === false) return undefined;
      throw err;
    });
    if (!st) return root;
    const uid = process.getuid?.();
    const fix = chosen
      ? "set KUBEDRILL_STATE_DIR to a folder of your own"
      : `remove it (as its owner or root) or set KUBEDRILL_STATE_DIR to a folder of your own`;
    if (!st.isDirectory())
      throw new SafetyError(`local cluster state folder ${dir} is not a folder (a symbolic link or a file): ${fix}`);
    if (uid !== undefined && st.uid !== uid)
      throw new SafetyError(
        `local cluster state folder ${dir} belongs to uid ${st.uid}, not to you (uid ${uid}): whoever owns it controls the clusters' state files; ${fix}`,
      );
    if (!chosen && (st.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  }
  return root;
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
