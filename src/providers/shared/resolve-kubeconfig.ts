import { homedir } from "node:os";
import { delimiter, join, resolve as resolvePath } from "node:path";
import { UsageError } from "../../errors.ts";
import { redact } from "../../util/redact.ts";
import { readMergedKubeconfig, type MergedKubeconfig } from "./kubeconfig-files.ts";

/** What kubedrill needs to know about a kubeconfig context. Never carries credentials. */
export interface ResolvedKubeconfig {
  /** The file that defines the chosen context. */
  path: string;
  /** Every file that was read and merged (several when $KUBECONFIG lists several). */
  files: string[];
  /** Where the path came from, for messages. */
  source: "--kubeconfig" | "$KUBECONFIG" | "~/.kube/config";
  context: string;
  cluster?: string;
  server?: string;
  user?: string;
  namespace?: string;
  /** Every context name in the merged files (for "did you mean"). */
  contexts: string[];
}

export interface ResolveOptions {
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
  cwd?: string;
}

/** The files kubectl would read: --kubeconfig, then every $KUBECONFIG entry, then ~/.kube/config. */
export function kubeconfigPaths(opts: ResolveOptions): { paths: string[]; source: ResolvedKubeconfig["source"] } {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.kubeconfig) return { paths: [resolvePath(cwd, opts.kubeconfig)], source: "--kubeconfig" };
  const listed = (opts.env.KUBECONFIG ?? "")
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => resolvePath(cwd, p));
  const paths = [...new Set(listed)];
  if (paths.length > 0) return { paths, source: "$KUBECONFIG" };
  return { paths: [join(opts.homeDir ?? opts.env.HOME ?? homedir(), ".kube", "config")], source: "~/.kube/config" };
}

/** The first file kubectl would read (for commands that load a single file). */
export function kubeconfigPath(opts: ResolveOptions): { path: string; source: ResolvedKubeconfig["source"] } {
  const { paths, source } = kubeconfigPaths(opts);
  return { path: paths[0]!, source };
}

/** Reads and merges the kubeconfig files and picks the context. */
export async function resolveKubeconfig(opts: ResolveOptions): Promise<ResolvedKubeconfig> {
  return (await loadKubeconfig(opts)).resolved;
}

/**
 * Like resolveKubeconfig, and also returns the merged files (with credentials), so that the
 * pinned copy is written from the very data the guard checked, without reading again.
 */
export async function loadKubeconfig(
  opts: ResolveOptions,
): Promise<{ resolved: ResolvedKubeconfig; merged: MergedKubeconfig }> {
  const { paths, source } = kubeconfigPaths(opts);
  const merged = await readMergedKubeconfig(paths, source);
  const where = `kubeconfig ${merged.files.join(delimiter)} (from ${source})`;
  const names = [...merged.contexts.keys()];
  const wanted = opts.context ?? merged.currentContext?.name;
  if (!wanted)
    throw new UsageError(
      `${where} has no current-context; pass --context NAME (contexts: ${names.join(", ") || "none"})`,
    );
  const ctx = merged.contexts.get(wanted);
  if (!ctx) {
    const from = opts.context ? "" : ` (current-context of ${merged.currentContext?.file})`;
    throw new UsageError(`context "${wanted}"${from} is not in ${where}; it has: ${names.join(", ") || "no contexts"}`);
  }
  const clusterName = typeof ctx.body.cluster === "string" ? ctx.body.cluster : undefined;
  const server = clusterName ? merged.clusters.get(clusterName)?.body.server : undefined;
  const resolved: ResolvedKubeconfig = {
    path: ctx.file,
    files: merged.files,
    source,
    context: wanted,
    cluster: clusterName,
    server: typeof server === "string" ? redact(server) : undefined,
    user: typeof ctx.body.user === "string" ? ctx.body.user : undefined,
    namespace: typeof ctx.body.namespace === "string" ? ctx.body.namespace : undefined,
    contexts: names,
  };
  return { resolved, merged };
}
