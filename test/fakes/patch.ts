/** Patch semantics for the fake Kube: RFC 7386 merge patch and a small RFC 6902 JSON patch. */
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const decode = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

export function jsonPatch(target: unknown, ops: { op: string; path: string; value?: unknown }[]): unknown {
  const doc = structuredClone(target) as Record<string, unknown>;
  for (const op of ops) {
    const segs = op.path.split("/").slice(1).map(decode);
    const last = segs.pop()!;
    let parent: unknown = doc;
    for (const s of segs) parent = (parent as Record<string, unknown>)[s];
    if (parent === undefined || parent === null) throw new Error(`json patch: path ${op.path} does not exist`);
    const p = parent as Record<string, unknown> & unknown[];
    if (op.op === "remove") {
      if (Array.isArray(p)) p.splice(Number(last), 1);
      else delete p[last];
    } else if (op.op === "add" || op.op === "replace") {
      if (Array.isArray(p) && op.op === "add") p.splice(last === "-" ? p.length : Number(last), 0, op.value);
      else p[last] = structuredClone(op.value);
    } else if (op.op === "test") {
      if (JSON.stringify(p[last]) !== JSON.stringify(op.value))
        throw new Error(`json patch: test failed at ${op.path}`);
    } else throw new Error(`json patch: op ${op.op} not supported by the fake`);
  }
  return doc;
}
