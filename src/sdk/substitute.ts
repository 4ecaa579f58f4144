/**
 * `${namespace}` and `${runId}` in every string of a step's params (and of the manifests
 * an `apply` reads) become the attempt's generated namespace and the run id; `vars` adds
 * cluster facts: `${provisioner}` (the cluster's dynamic volume provisioner) and
 * `${authRegistry}` (the host of its registry that requires credentials). Any
 * other `${...}` is left as written; validation refuses it (src/scenario/variables.ts),
 * except in text a program reads (a command's argv, a ConfigMap's data, a container's
 * command), where shells use the same syntax.
 */
export interface Substitutions {
  namespace: string;
  runId: string;
  vars?: Readonly<Record<string, string>>;
}

/** Every variable kubedrill substitutes, with a value of its form (to check names that use it). */
export const VARIABLE_EXAMPLES: Readonly<Record<string, string>> = {
  namespace: "kd-scenario-abcde",
  runId: "20260101-000000-abcd",
  provisioner: "kubedrill.io/local-volume",
  authRegistry: "registry.kubedrill.local",
};

export const VARIABLES: readonly string[] = Object.keys(VARIABLE_EXAMPLES);

/** Every `${...}` written in `text` that kubedrill does not substitute (as written, e.g. `${namspace}`). */
export function unknownVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].filter((m) => !VARIABLES.includes(m[1]!)).map((m) => m[0]);
}

export function substituteString(text: string, s: Substitutions): string {
  return text.replace(/\$\{([A-Za-z]\w*)\}/g, (whole, key: string) => {
    if (key === "namespace") return s.namespace;
    if (key === "runId") return s.runId;
    return s.vars && Object.prototype.hasOwnProperty.call(s.vars, key) ? s.vars[key]! : whole;
  });
}

export function substitute<T>(value: T, s: Substitutions): T {
  if (typeof value === "string") return substituteString(value, s) as T;
  if (Array.isArray(value)) return value.map((v) => substitute(v, s)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, s);
    return out as T;
  }
  return value;
}
