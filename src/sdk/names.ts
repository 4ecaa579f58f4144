/**
 * The names Kubernetes accepts, checked at validation so that a run does not fail on its
 * first API call. Names may hold the variables kubedrill substitutes (src/sdk/substitute.ts):
 * they are checked with a value of each variable's form.
 */
import { unknownVariables, VARIABLE_EXAMPLES } from "./substitute.ts";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose names are DNS labels (not subdomains), and those whose names are RFC 1035 labels. */
const LABEL_KINDS = new Set(["Namespace"]);
const RFC1035_KINDS = new Set(["Service"]);
/** RBAC names are path segments: anything but `/`, `%`, `.` and `..` (e.g. `system:nodes`). */
const PATH_SEGMENT_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

const quoted = (name: string, shown: string) =>
  name === shown ? JSON.stringify(name) : `${JSON.stringify(shown)} (as ${JSON.stringify(name)})`;

/** `name` with each known variable replaced by a value of its form. */
export function asSubstituted(name: string): string {
  return name.replace(/\$\{([A-Za-z]\w*)\}/g, (whole, key: string) => VARIABLE_EXAMPLES[key] ?? whole);
}

/** Why `written` cannot be a namespace's name (completing "<field> ..."), or undefined. */
export function namespaceNameProblem(written: string): string | undefined {
  const name = asSubstituted(written);
  if (name.length <= 63 && LABEL.test(name)) return undefined;
  return `${quoted(name, written)} is not a valid namespace name: a DNS-1123 label of at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`;
}

/** Why `written` cannot be the name of an object of `kind`, or undefined. */
export function objectNameProblem(kind: string | undefined, written: string): string | undefined {
  const name = asSubstituted(written);
  const shown = quoted(name, written);
  if (kind && PATH_SEGMENT_KINDS.has(kind))
    return name === "" || name === "." || name === ".." || /[/%]/.test(name)
      ? `${shown} is not a valid ${kind} name: it may not be "." or "..", nor contain '/' or '%'`
      : undefined;
  if (kind && LABEL_KINDS.has(kind)) return namespaceNameProblem(written);
  if (kind && RFC1035_KINDS.has(kind))
    return name.length <= 63 && RFC1035.test(name)
      ? undefined
      : `${shown} is not a valid ${kind} name: an RFC 1035 label of at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`;
  return name.length <= 253 && SUBDOMAIN.test(name)
    ? undefined
    : `${shown} is not a valid${kind ? ` ${kind}` : ""} name: a DNS-1123 subdomain of at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`;
}

/**
 * Checks a Kubernetes object's metadata.name (for its kind) and metadata.namespace;
 * `report` gets the path below the object. Values of the wrong type are left to the schema.
 */
export function objectMetadataProblems(obj: unknown, report: (path: string[], message: string) => void): void {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return;
  const { kind, metadata } = obj as { kind?: unknown; metadata?: unknown };
  if (typeof metadata !== "object" || metadata === null) return;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  const k = typeof kind === "string" ? kind : undefined;
  const unknownVar = (s: string) => unknownVariables(s).length > 0;
  if (typeof name === "string" && name !== "" && !unknownVar(name)) {
    const problem = objectNameProblem(k, name);
    if (problem) report(["metadata", "name"], problem);
  }
  if (typeof namespace === "string" && !unknownVar(namespace)) {
    const problem = namespaceNameProblem(namespace);
    if (problem) report(["metadata", "namespace"], problem);
  }
}
