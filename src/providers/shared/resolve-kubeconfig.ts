import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join, resolve as resolvePath } from "node:path";
import { parseDocument } from "yaml";
import { UsageError } from "../../errors.ts";
import { redact } from "../../util/redact.ts";

/** What kubedrill needs to know about a kubeconfig context. Never carries credentials. */
interface ResolvedKubeconfig {
  path: string;
  /** Where the path came from, for messages. */
  source: "--kubeconfig" | "$KUBECONFIG" | "~/.kube/config";
  context: string;
  cluster?: string;
  server?: string;
  user?: string;
  namespace?: string;
  /** Every context name in the file (for "did you mean"). */
  contexts: string[];
}

interface ResolveOptions {
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
  cwd?: string;
}

/** The file kubectl would use: --kubeconfig, then $KUBECONFIG's first entry, then ~/.kube/config. */
export function kubeconfigPath(opts: ResolveOptions): { path: string; source: ResolvedKubeconfig["source"] } {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.kubeconfig) return { path: resolvePath(cwd, opts.kubeconfig), source: "--kubeconfig" };
  const first = (opts.env.KUBECONFIG ?? "").split(delimiter).find((p) => p.trim().length > 0);
  if (first) return { path: resolvePath(cwd, first.trim()), source: "$KUBECONFIG" };
  return { path: join(opts.homeDir ?? opts.env.HOME ?? homedir(), ".kube", "config"), source: "~/.kube/config" };
}

type Named<T> = { name?: unknown } & { [k: string]: T | unknown };

/** Reads and parses the kubeconfig (with the `yaml` package) and picks the context. */
export async function resolveKubeconfig(opts: ResolveOptions): Promise<ResolvedKubeconfig> {
  const { path, source } = kubeconfigPath(opts);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `kubeconfig ${path} (from ${source}) ${code === "ENOENT" ? "does not exist" : `cannot be read: ${code ?? String(err)}`}`,
      { cause: err },
    );
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    // The message may quote the offending line, which could hold a credential.
    throw new UsageError(
      `${path}:${pos?.line ?? 1}:${pos?.col ?? 1}: kubeconfig is not valid YAML: ${redact(e.message.split("\n")[0] ?? "")}`,
    );
  }
  const config = (doc.toJS() ?? {}) as Record<string, unknown>;
  const contexts = asNamedList(config.contexts);
  const names = contexts.map((c) => String(c.name));
  const wanted =
    opts.context ?? (typeof config["current-context"] === "string" ? (config["current-context"] as string) : undefined);
  if (!wanted) {
    throw new UsageError(
      `kubeconfig ${path} (from ${source}) has no current-context; pass --context NAME (contexts: ${names.join(", ") || "none"})`,
    );
  }
  const ctx = contexts.find((c) => c.name === wanted);
  if (!ctx) {
    throw new UsageError(
      `context "${wanted}" is not in kubeconfig ${path} (from ${source}); it has: ${names.join(", ") || "no contexts"}`,
    );
  }
  const body = (ctx.context ?? {}) as Record<string, unknown>;
  const clusterName = typeof body.cluster === "string" ? body.cluster : undefined;
  const cluster = asNamedList(config.clusters).find((c) => c.name === clusterName);
  const server = (cluster?.cluster as Record<string, unknown> | undefined)?.server;
  return {
    path,
    source,
    context: wanted,
    cluster: clusterName,
    server: typeof server === "string" ? redact(server) : undefined,
    user: typeof body.user === "string" ? body.user : undefined,
    namespace: typeof body.namespace === "string" ? body.namespace : undefined,
    contexts: names,
  };
}

function asNamedList(v: unknown): Named<unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Named<unknown>[]) : [];
}
