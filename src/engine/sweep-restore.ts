import { isPlainObject } from "../sdk/objects.ts";

/**
 * The fields a sweep may put back from an object's kubedrill.io/original annotation: the
 * ones kubedrill's node and workload steps record (replicas, taints, cordon) and
 * kubedrill's own marks. Anyone who can edit an object can write that annotation, so a
 * sweep running with the harness's credentials applies nothing else.
 */
const RESTORABLE: Record<string, "value" | "kubedrill-keys"> = {
  "spec.replicas": "value",
  "spec.taints": "value",
  "spec.unschedulable": "value",
  "metadata.labels": "kubedrill-keys",
  "metadata.annotations": "kubedrill-keys",
};

const OWN_KEY = /^kubedrill\.io\//;

/** The restorable part of a recorded restore patch, and the dotted paths left out. */
export function restorablePart(originalJson: string): { patch: Record<string, unknown>; dropped: string[] } {
  let original: unknown;
  try {
    original = JSON.parse(originalJson);
  } catch {
    throw new Error("its kubedrill.io/original annotation is not JSON; remove kubedrill's marks by hand");
  }
  if (!isPlainObject(original)) throw new Error("its kubedrill.io/original annotation is not a JSON object");
  const patch: Record<string, unknown> = {};
  const dropped: string[] = [];
  walk(original, [], patch, dropped);
  return { patch, dropped };
}

function walk(value: Record<string, unknown>, path: string[], out: Record<string, unknown>, dropped: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    const here = [...path, key];
    const rule = RESTORABLE[here.join(".")];
    if (rule === "value") out[key] = v;
    else if (rule === "kubedrill-keys" && isPlainObject(v)) {
      const own = Object.entries(v).filter(([k, x]) => OWN_KEY.test(k) && (x === null || typeof x === "string"));
      if (own.length > 0) out[key] = Object.fromEntries(own);
      for (const k of Object.keys(v)) if (!own.some(([o]) => o === k)) dropped.push(`${here.join(".")}.${k}`);
    } else if (isPlainObject(v) && Object.keys(RESTORABLE).some((p) => p.startsWith(`${here.join(".")}.`))) {
      const inner: Record<string, unknown> = {};
      walk(v, here, inner, dropped);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else dropped.push(here.join("."));
  }
}
