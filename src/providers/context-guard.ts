import { SafetyError } from "../errors.ts";

/** Environment variable listing contexts a destructive run may target (comma-separated). */
export const ALLOW_CONTEXTS_ENV = "KUBEDRILL_ALLOW_CONTEXTS";

export interface ContextGuardInput {
  /** The kubeconfig context the run would change. */
  context: string;
  /** The API server URL of that context's cluster, when the kubeconfig names one. */
  server?: string;
  /** Values of `--allow-context NAME` or `NAME@SERVER` (repeatable). */
  allow: string[];
  env: NodeJS.ProcessEnv;
  /** A dry run changes nothing, so it is never refused. */
  dryRun: boolean;
  /** What the run would do, one line each (shown when refusing). */
  plan: string[];
}

/** One allowance: a context name, optionally bound to an API server (`NAME@https://...`). */
export interface Allowance {
  raw: string;
  context: string;
  server?: string;
  via: "flag" | "env";
}

export type ContextAllowance =
  | { allowed: true; via: "dry-run" }
  | { allowed: true; via: "flag" | "env"; allowance: string; boundToServer: boolean; server?: string };

/** `NAME@SERVER` when what follows the last such `@` is a URL; a name such as `admin@kubernetes` stays a name. */
export function parseAllowance(raw: string, via: Allowance["via"]): Allowance {
  const m = /^(.+)@([a-z][a-z0-9+.-]*:\/\/.+)$/i.exec(raw);
  return m ? { raw, context: m[1]!, server: m[2]!, via } : { raw, context: raw, via };
}

/** The allowances of `--allow-context` and `$KUBEDRILL_ALLOW_CONTEXTS` (comma-separated). */
export function allowances(allow: string[], env: NodeJS.ProcessEnv): Allowance[] {
  const clean = (list: string[]) => list.map((s) => s.trim()).filter((s) => s.length > 0);
  return [
    ...clean(allow).map((s) => parseAllowance(s, "flag")),
    ...clean((env[ALLOW_CONTEXTS_ENV] ?? "").split(",")).map((s) => parseAllowance(s, "env")),
  ];
}

/** Two server URLs name the same endpoint (scheme and host case, default port, trailing slash ignored). */
export function sameServer(a: string, b: string): boolean {
  const norm = (s: string) => {
    try {
      const u = new URL(s.trim());
      return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
      return s.trim().replace(/\/+$/, "");
    }
  };
  return norm(a) === norm(b);
}

/**
 * Refuses (SafetyError) a destructive run against a context nobody named explicitly.
 * Exact names only: a pattern would make it too easy to allow production by accident. An
 * allowance bound to a server (`NAME@SERVER`) matches only while the context points there;
 * a name-only allowance matches any server, and the result says which one it matched.
 */
export function assertContextAllowed(input: ContextGuardInput): ContextAllowance {
  if (input.dryRun) return { allowed: true, via: "dry-run" };
  const all = allowances(input.allow, input.env);
  const named = all.filter((a) => a.context === input.context);
  const bound = named.find((a) => a.server && input.server && sameServer(a.server, input.server));
  const match = bound ?? named.find((a) => a.server === undefined);
  if (match)
    return {
      allowed: true,
      via: match.via,
      allowance: match.raw,
      boundToServer: bound !== undefined,
      ...(input.server ? { server: input.server } : {}),
    };
  throw new SafetyError(refusal(input, all, named));
}

/** How a context was allowed, for the log and the plan. */
export function describeAllowance(a: ContextAllowance): string {
  if (a.via === "dry-run") return "a dry run (nothing is changed)";
  const by =
    a.via === "flag"
      ? `--allow-context ${quoteArg(a.allowance)}`
      : `${ALLOW_CONTEXTS_ENV} entry ${quoteArg(a.allowance)}`;
  if (a.boundToServer) return `${by} (bound to server ${a.server})`;
  if (!a.server) return `${by} (name only; the context names no server)`;
  return `${by} (name only: it matched server ${a.server}; to bind it, use ${quoteArg(`${a.allowance}@${a.server}`)})`;
}

function refusal(input: ContextGuardInput, all: Allowance[], named: Allowance[]): string {
  const at = input.server ? ` (server ${input.server})` : "";
  const lines = [
    `refusing to run destructive steps against Kubernetes context "${input.context}"${at}: it is not in the allowed contexts (${all.length > 0 ? all.map((a) => `"${a.raw}"`).join(", ") : "none given"})`,
  ];
  for (const a of named)
    lines.push(
      `"${a.raw}" is bound to server ${a.server}, but context "${input.context}" points at ${input.server ?? "no server"}`,
    );
  if (input.plan.length > 0) {
    lines.push(`The run would have done (${input.plan.length} step${input.plan.length === 1 ? "" : "s"}):`);
    for (const step of input.plan) lines.push(`  - ${step}`);
  }
  const value = quoteArg(input.server ? `${input.context}@${input.server}` : input.context);
  lines.push(
    `To allow it, pass --allow-context ${value} (repeatable), or set ${ALLOW_CONTEXTS_ENV}=${value} (comma-separated list).`,
    "To see the plan without changing anything, add --dry-run.",
  );
  return lines.join("\n");
}

function quoteArg(s: string): string {
  return /^[A-Za-z0-9_.:@/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
