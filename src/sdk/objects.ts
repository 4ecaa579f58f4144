import type { KObject, ObjectRef } from "../k8s/types.ts";
import type { Condition } from "../k8s/objects.ts";

/**
 * On objects a run marked as changed (src/sdk/record.ts): when it marked them (ISO
 * time), so that the start-up sweep can tell a fresh mark of a run without a Lease from an
 * old one (src/engine/sweep.ts).
 */
export const ANNOTATION_MARKED_AT = "kubedrill.io/marked-at";

/** `Kind/name` or `Kind/namespace/name`, for messages. */
export function describeObject(obj: {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  name?: string;
  namespace?: string;
}): string {
  const name = obj.metadata?.name ?? obj.name ?? "?";
  const ns = obj.metadata?.namespace ?? obj.namespace;
  return ns ? `${obj.kind}/${ns}/${name}` : `${obj.kind}/${name}`;
}

export function refOf(obj: KObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name ?? "",
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
}

/** Splits `status.conditions[0].type` or `metadata.labels.app\.kubernetes\.io/name` into keys. */
export function splitPath(path: string): string[] {
  const keys: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === "\\" && i + 1 < path.length) cur += path[++i];
    else if (ch === ".") {
      keys.push(cur);
      cur = "";
    } else if (ch === "[") {
      if (cur) keys.push(cur);
      const end = path.indexOf("]", i);
      keys.push(path.slice(i + 1, end < 0 ? undefined : end));
      cur = "";
      i = end < 0 ? path.length : end;
      if (path[i + 1] === ".") i++;
    } else cur += ch;
  }
  if (cur) keys.push(cur);
  return keys;
}

export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** `type=status (reason): message` of a status condition, verbatim. */
export function conditionText(c: Condition | Record<string, unknown>): string {
  const reason = c.reason ? ` (${String(c.reason)})` : "";
  const message = c.message ? `: ${String(c.message)}` : "";
  return `${String(c.type)}=${String(c.status)}${reason}${message}`;
}

export { conditionsOf } from "../k8s/objects.ts";

/**
 * A field's value as shown in messages and reports. A Secret's `data` and `stringData`
 * values are never shown: keys and sizes only.
 */
export function shownValue(obj: Pick<KObject, "kind">, path: string, value: unknown): string {
  if (value === undefined) return "(absent)";
  const [head] = splitPath(path);
  if (obj.kind === "Secret" && (head === "data" || head === "stringData")) return secretShape(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function secretShape(value: unknown): string {
  const size = (v: unknown) =>
    `${typeof v === "string" ? Buffer.byteLength(v) : JSON.stringify(v ?? null).length} bytes`;
  if (isPlainObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: <hidden, ${size(v)}>`)
      .join(", ")}}`;
  return `<hidden, ${size(value)}>`;
}
