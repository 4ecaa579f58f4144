import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { UsageError } from "../../errors.ts";
import { redact } from "../../util/redact.ts";

/** One named context, cluster or user, with the file that defined it (relative paths in it resolve from there). */
export interface KubeconfigEntry {
  name: string;
  body: Record<string, unknown>;
  file: string;
}

/** Several kubeconfig files merged the way kubectl merges $KUBECONFIG. Holds credentials: never log it. */
export interface MergedKubeconfig {
  /** The files that were read, in order. */
  files: string[];
  /** Files of the list that do not exist (kubectl skips them too). */
  missing: string[];
  contexts: Map<string, KubeconfigEntry>;
  clusters: Map<string, KubeconfigEntry>;
  users: Map<string, KubeconfigEntry>;
  currentContext?: { name: string; file: string };
}

const SECTIONS = [
  ["contexts", "context"],
  ["clusters", "cluster"],
  ["users", "user"],
] as const;

/**
 * Reads and merges kubeconfig files as kubectl does: for each named context, cluster and
 * user the first file that defines it wins, and current-context comes from the first file
 * that sets it. A missing file in a list of several is skipped (as kubectl does); a lone
 * missing file, or a list whose every file is missing, is an error naming them.
 */
export async function readMergedKubeconfig(paths: string[], source: string): Promise<MergedKubeconfig> {
  const merged: MergedKubeconfig = {
    files: [],
    missing: [],
    contexts: new Map(),
    clusters: new Map(),
    users: new Map(),
  };
  for (const path of paths) {
    const text = await readKubeconfigText(path, source, paths.length > 1);
    if (text === undefined) {
      merged.missing.push(path);
      continue;
    }
    merged.files.push(path);
    mergeInto(merged, parseKubeconfig(path, text), path);
  }
  if (merged.files.length === 0)
    throw new UsageError(`none of the kubeconfig files of ${source} exists: ${paths.join(", ")}`);
  return merged;
}

async function readKubeconfigText(path: string, source: string, optional: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && optional) return undefined;
    throw new UsageError(
      `kubeconfig ${path} (from ${source}) ${code === "ENOENT" ? "does not exist" : `cannot be read: ${code ?? String(err)}`}`,
      { cause: err },
    );
  }
}

function parseKubeconfig(path: string, text: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    // The message may quote the offending line, which could hold a credential.
    throw new UsageError(
      `${path}:${pos?.line ?? 1}:${pos?.col ?? 1}: kubeconfig is not valid YAML: ${redact(e.message.split("\n")[0] ?? "")}`,
    );
  }
  const config: unknown = doc.toJS();
  return config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
}

function mergeInto(merged: MergedKubeconfig, config: Record<string, unknown>, file: string): void {
  const current = config["current-context"];
  if (!merged.currentContext && typeof current === "string" && current.length > 0)
    merged.currentContext = { name: current, file };
  for (const [section, field] of SECTIONS) {
    const list = config[section];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!item || typeof item !== "object") continue;
      const { name } = item as { name?: unknown };
      if (typeof name !== "string" || merged[section].has(name)) continue;
      const body = (item as Record<string, unknown>)[field];
      merged[section].set(name, { name, file, body: body && typeof body === "object" ? { ...body } : {} });
    }
  }
}
