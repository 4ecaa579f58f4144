import { isPlainObject, clone } from "./objects.ts";

/**
 * Which fields a change touches, as a tree of keys; `true` means "the whole value".
 * Lists are always taken whole, so restoring puts back the original list.
 */
export type Touched = { [key: string]: Touched | true };

/** From a merge or strategic-merge patch (or an applied manifest). `$`-directives are skipped. */
export function touchedByMerge(patch: unknown): Touched {
  const out: Touched = {};
  if (!isPlainObject(patch)) return out;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    out[k] = isPlainObject(v) && Object.keys(v).length > 0 ? touchedByMerge(v) : true;
  }
  return out;
}

const decode = (seg: string) => seg.replace(/~1/g, "/").replace(/~0/g, "~");

/** From a JSON patch: each op's path (and a move's `from`), cut at the first list. */
export function touchedByJsonPatch(ops: unknown, original: unknown): Touched {
  const out: Touched = {};
  if (!Array.isArray(ops)) return out;
  for (const op of ops) {
    if (!isPlainObject(op)) continue;
    const paths = [op.path, op.op === "move" ? op.from : undefined].filter((p): p is string => typeof p === "string");
    for (const path of paths) {
      const segs = path.split("/").slice(1).map(decode);
      let node = out;
      let orig: unknown = original;
      for (const [i, seg] of segs.entries()) {
        const last = i === segs.length - 1;
        const next = isPlainObject(orig) ? orig[seg] : undefined;
        if (last || Array.isArray(next) || !isPlainObject(next)) {
          node[seg] = true;
          break;
        }
        const child = node[seg];
        if (child === true) break;
        node = node[seg] = child ?? {};
        orig = next;
      }
    }
  }
  return out;
}

/** A merge patch that puts the touched fields back as they are in `original` (null = remove). */
export function inversePatch(touched: Touched, original: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const orig = isPlainObject(original) ? original : {};
  for (const [k, t] of Object.entries(touched)) {
    const v = orig[k];
    if (t !== true && isPlainObject(v)) out[k] = inversePatch(t, v);
    // A map that was absent: remove just the touched keys (composes with other patches).
    else if (t !== true && (v === undefined || v === null)) out[k] = inversePatch(t, {});
    else out[k] = v === undefined ? null : clone(v);
  }
  return out;
}

/** Deep-merges merge patches (b wins). */
export function mergePatches(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? mergePatches(cur, v) : v;
  }
  return out;
}
