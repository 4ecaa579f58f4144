import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { stringify } from "yaml";
import { UsageError } from "../../errors.ts";
import type { KubeconfigEntry, MergedKubeconfig } from "../shared/kubeconfig-files.ts";

/** File fields inlined as their `-data` twin (what `kubectl config view --flatten` does). */
const INLINE: Record<"cluster" | "user", [string, string][]> = {
  cluster: [["certificate-authority", "certificate-authority-data"]],
  user: [
    ["client-certificate", "client-certificate-data"],
    ["client-key", "client-key-data"],
  ],
};

export interface PinnedKubeconfig {
  /** The private copy: 0600, in a temp dir made 0700. */
  path: string;
  /** Removes the copy and its folder; idempotent. */
  cleanup(): Promise<void>;
}

/**
 * Writes a private, minified, flattened kubeconfig holding only `context` with its cluster
 * and user, as current-context: every client and every scenario command reads this file,
 * so a later `kubectl config use-context` in another terminal cannot redirect the run, and
 * no other context's credentials are within a command's reach. Certificate files are
 * inlined; other paths (tokenFile, exec commands) made absolute from the file that
 * defined them. Written from the merged data the guard checked, not read again.
 */
export async function pinContext(
  merged: MergedKubeconfig,
  context: string,
  opts: { tmpRoot?: string } = {},
): Promise<PinnedKubeconfig> {
  const ctx = merged.contexts.get(context);
  if (!ctx) throw new UsageError(`context "${context}" is not in kubeconfig ${merged.files.join(", ")}`);
  const clusterName = typeof ctx.body.cluster === "string" ? ctx.body.cluster : undefined;
  const userName = typeof ctx.body.user === "string" ? ctx.body.user : undefined;
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster)
    throw new UsageError(
      `context "${context}" (${ctx.file}) names cluster "${clusterName ?? ""}", which no file defines`,
    );
  const user = userName ? merged.users.get(userName) : undefined;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": context,
    contexts: [{ name: context, context: ctx.body }],
    clusters: [{ name: cluster.name, cluster: await flatten(cluster, "cluster") }],
    users: user ? [{ name: user.name, user: await flatten(user, "user") }] : [],
    preferences: {},
  };
  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), "kubedrill-kubeconfig-"));
  await chmod(dir, 0o700);
  const path = join(dir, "kubeconfig");
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await writeFile(path, stringify(config), { mode: 0o600, flag: "wx" });
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { path, cleanup };
}

async function flatten(entry: KubeconfigEntry, kind: "cluster" | "user"): Promise<Record<string, unknown>> {
  const base = dirname(entry.file);
  const body: Record<string, unknown> = { ...entry.body };
  for (const [field, dataField] of INLINE[kind]) {
    const value = body[field];
    if (typeof value !== "string" || value.length === 0) continue;
    const file = resolve(base, value);
    try {
      body[dataField] = (await readFile(file)).toString("base64");
    } catch (err) {
      throw new UsageError(
        `${entry.file}: ${kind} "${entry.name}" ${field} ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        { cause: err },
      );
    }
    delete body[field];
  }
  if (typeof body.tokenFile === "string" && body.tokenFile && !isAbsolute(body.tokenFile))
    body.tokenFile = resolve(base, body.tokenFile);
  const exec = body.exec;
  if (exec && typeof exec === "object") {
    const command = (exec as { command?: unknown }).command;
    // kubectl resolves an exec command with a path separator relative to the kubeconfig.
    if (typeof command === "string" && command.includes("/") && !isAbsolute(command))
      body.exec = { ...exec, command: resolve(base, command) };
  }
  return body;
}
