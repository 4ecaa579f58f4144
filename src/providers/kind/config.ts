import { join } from "node:path";
import { PACKAGE_ROOT } from "../../util/package-root.ts";
import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { UsageError } from "../../errors.ts";

/** The repository's kind-config.yaml (one control plane, six workers in three zones). */
export const DEFAULT_KIND_CONFIG = join(PACKAGE_ROOT, "kind-config.yaml");

interface KindConfig {
  path: string;
  text: string;
  /** How many nodes `kind create cluster` will make (kind's default is 1). */
  nodes: number;
  podSubnet?: string;
  serviceSubnet?: string;
  disableDefaultCNI: boolean;
}

/** Reads a kind config and checks it is a v1alpha4 Cluster; YAML problems as file:line:col. */
export async function readKindConfig(path: string): Promise<KindConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`kind config ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const e = doc.errors[0];
  if (e)
    throw new UsageError(`${path}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split("\n")[0]}`);
  const cfg = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (cfg.kind !== "Cluster" || cfg.apiVersion !== "kind.x-k8s.io/v1alpha4") {
    throw new UsageError(
      `${path}:1:1: a kind config must be "kind: Cluster" with "apiVersion: kind.x-k8s.io/v1alpha4" (found kind ${JSON.stringify(cfg.kind)}, apiVersion ${JSON.stringify(cfg.apiVersion)})`,
    );
  }
  const networking = (cfg.networking ?? {}) as Record<string, unknown>;
  return {
    path,
    text,
    nodes: Array.isArray(cfg.nodes) && cfg.nodes.length > 0 ? cfg.nodes.length : 1,
    podSubnet: typeof networking.podSubnet === "string" ? networking.podSubnet : undefined,
    serviceSubnet: typeof networking.serviceSubnet === "string" ? networking.serviceSubnet : undefined,
    disableDefaultCNI: networking.disableDefaultCNI === true,
  };
}

/**
 * A copy of the config with changes a scenario needs, comments kept. Calico needs
 * `networking.disableDefaultCNI: true` (no kindnet) before the cluster is created;
 * the provider writes the derived file into its temp dir and passes it to `--config`.
 */
export function deriveKindConfig(text: string, changes: { disableDefaultCNI?: boolean }): string {
  const doc = parseDocument(text);
  if (changes.disableDefaultCNI !== undefined) {
    doc.setIn(["networking", "disableDefaultCNI"], changes.disableDefaultCNI);
  }
  doc.commentBefore = ` derived by kubedrill from the repository's kind-config.yaml${doc.commentBefore ? `\n${doc.commentBefore}` : ""}`;
  return doc.toString();
}
