import type { KObject } from "./types.ts";

/**
 * A field of an object: map keys, list indices, and for an item of a keyed list (a
 * condition, keyed by `type`) the item's keys: `["status", "conditions", { type: "Ready" }, "status"]`.
 */
export type FieldPath = readonly (string | number | Readonly<Record<string, string>>)[];

interface ManagedFieldsEntry {
  manager?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

type Trie = Record<string, unknown>;
const isTrie = (v: unknown): v is Trie => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The field managers that own the field at `path`, or a part of it, by the object's
 * `metadata.managedFields` (server-side field tracking: the writer of each field, by the
 * field manager the writer named, else the first word of its User-Agent). A manager that
 * owns a field whole (a leaf, an atomic list) owns everything under it.
 */
export function fieldOwners(obj: KObject, path: FieldPath): string[] {
  const entries = obj.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  const owners = new Set<string>();
  for (const e of entries as ManagedFieldsEntry[])
    if (e?.manager && e.fieldsType === "FieldsV1" && owns(e.fieldsV1, obj, path)) owners.add(e.manager);
  return [...owners].sort();
}

function owns(fields: unknown, obj: KObject, path: FieldPath): boolean {
  let node: unknown = fields;
  let value: unknown = obj;
  for (const step of path) {
    if (!isTrie(node)) return false;
    // an empty set of children: the whole field is owned (a leaf, or atomic)
    if (Object.keys(node).length === 0) return true;
    const next = Array.isArray(value) ? listItem(node, value, step) : mapEntry(node, value, step);
    if (!next) return false;
    [node, value] = next;
  }
  return isTrie(node);
}

function mapEntry(node: Trie, value: unknown, step: FieldPath[number]): [unknown, unknown] | undefined {
  if (typeof step !== "string") return undefined;
  const child = node[`f:${step}`];
  return child === undefined ? undefined : [child, isTrie(value) ? value[step] : undefined];
}

/** An item of a list: by its keys (`k:{...}`), its value (`v:...`, a set) or its index (`i:N`). */
function listItem(node: Trie, list: unknown[], step: FieldPath[number]): [unknown, unknown] | undefined {
  const index = typeof step === "number" ? step : typeof step === "string" && /^\d+$/.test(step) ? Number(step) : -1;
  const item = index >= 0 ? list[index] : isTrie(step) ? list.find((x) => isTrie(x) && hasKeys(x, step)) : undefined;
  if (item === undefined) return undefined;
  for (const [k, child] of Object.entries(node)) {
    if (k.startsWith("k:") && isTrie(item) && hasKeys(item, parse(k.slice(2)))) return [child, item];
    if (k.startsWith("v:") && JSON.stringify(parse(k.slice(2))) === JSON.stringify(item)) return [child, item];
    if (k === `i:${list.indexOf(item)}`) return [child, item];
  }
  return undefined;
}

function hasKeys(item: Trie, keys: unknown): boolean {
  return isTrie(keys) && Object.entries(keys).every(([k, v]) => String(item[k]) === String(v));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
