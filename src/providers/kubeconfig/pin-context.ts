import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";

/** Fields of a kubeconfig that hold file paths, resolved relative to the file's folder. */
const PATH_FIELDS: Record<string, string[]> = {
  clusters: ["certificate-authority"],
  users: ["client-certificate", "client-key", "tokenFile"],
};

/**
 * StartedCluster hands others only a kubeconfig path, and they load its
 * current-context. When the chosen context is not the current one, this writes a
 * private copy (0600, in its own temp dir) whose current-context is the chosen one,
 * with relative credential paths made absolute, so every client talks to the context
 * the guard allowed. Returns the original path when no copy is needed.
 */
export async function pinContext(
  path: string,
  context: string,
  opts: { tmpRoot?: string } = {},
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const doc = parseDocument(await readFile(path, "utf8"));
  if (doc.get("current-context") === context) return { path, cleanup: async () => undefined };
  doc.set("current-context", context);
  absolutize(doc, dirname(path));
  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), "kubedrill-kubeconfig-"));
  const copy = join(dir, "kubeconfig");
  await writeFile(copy, doc.toString(), { mode: 0o600 });
  return { path: copy, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function absolutize(doc: Document, base: string): void {
  for (const [section, fields] of Object.entries(PATH_FIELDS)) {
    const list = doc.get(section);
    if (!isSeq(list)) continue;
    for (const entry of list.items) {
      if (!isMap(entry)) continue;
      const body = entry.get(section === "clusters" ? "cluster" : "user");
      if (!isMap(body)) continue;
      for (const field of fields) {
        const node = body.get(field, true);
        if (isScalar(node) && typeof node.value === "string" && node.value && !isAbsolute(node.value))
          node.value = resolve(base, node.value);
      }
      const exec = body.get("exec");
      if (isMap(exec)) {
        const command = exec.get("command", true);
        // kubectl resolves an exec command with a path separator relative to the kubeconfig.
        if (
          isScalar(command) &&
          typeof command.value === "string" &&
          command.value.includes("/") &&
          !isAbsolute(command.value)
        ) {
          command.value = resolve(base, command.value);
        }
      }
    }
  }
}
