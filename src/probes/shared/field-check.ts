import type { KObject } from "../../k8s/types.ts";
import { deepEqual, describeObject, getPath, shownValue, splitPath } from "../../sdk/objects.ts";
import { fieldIsSimulated } from "../../sdk/provenance.ts";
import { Params } from "../../sdk/params.ts";
import { describeTarget, parseTarget, selectCached, type Target } from "../../sdk/target.ts";
import type { BuildEnv, ProbeResult } from "../../sdk/types.ts";
import type { ParamsCheck, ParamsSchema } from "../../sdk/plugin.ts";
import { ref, regex, text } from "../../sdk/schema-parts.ts";
import type { ClusterView } from "../../sdk/types.ts";

/** field { target, path, equals? | matches? | exists? } — shared by the probe and the signal. */
interface FieldCheck {
  target: Target;
  path: string;
  equals?: unknown;
  matches?: RegExp;
  exists?: boolean;
}

export function parseFieldCheck(params: Record<string, unknown>, env: BuildEnv): FieldCheck {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  const path = p.str("path");
  const given = ["equals", "matches", "exists"].filter((k) => p.values[k] !== undefined);
  if (given.length !== 1)
    p.fail("", `needs exactly one of equals, matches, exists (got ${given.length ? given.join(", ") : "none"})`);
  const matches = p.regex("matches");
  return {
    target,
    path,
    ...(p.values.equals !== undefined ? { equals: p.values.equals } : {}),
    ...(matches ? { matches } : {}),
    ...(p.values.exists !== undefined ? { exists: p.bool("exists", true) } : {}),
  };
}

export function describeFieldCheck(c: FieldCheck): string {
  const test =
    c.exists !== undefined
      ? c.exists
        ? "exists"
        : "is absent"
      : c.matches
        ? `matches /${c.matches.source}/`
        : `equals ${JSON.stringify(c.equals)}`;
  return `${describeTarget(c.target)} ${c.path} ${test}`;
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Whether one object passes; the text says what the field is, verbatim. */
export function checkFieldOf(obj: KObject, c: FieldCheck): { ok: boolean; text: string } {
  const value = getPath(obj, c.path);
  const text = `${describeObject(obj)} ${c.path} = ${shownValue(obj, c.path, value)}`;
  if (c.exists !== undefined) return { ok: (value !== undefined && value !== null) === c.exists, text };
  if (c.equals === null) return { ok: value === undefined || value === null, text };
  if (value === undefined) return { ok: false, text };
  if (c.matches) return { ok: c.matches.test(show(value)), text };
  // Numbers and booleans written as strings (and vice versa) compare by their text.
  const ok =
    deepEqual(value, c.equals) ||
    (typeof value !== "object" && typeof c.equals !== "object" && String(value) === String(c.equals));
  return { ok, text };
}

/** Every matching object must pass (and, unless testing absence, at least one must exist). */
export function evaluateField(view: ClusterView, c: FieldCheck): ProbeResult {
  const objects = selectCached(view, c.target);
  if (objects.length === 0) {
    const ok = c.exists === false;
    return {
      ok,
      message: `${describeTarget(c.target)}: no such object${ok ? " (field absent)" : ""}`,
      simulated: false,
    };
  }
  const results = objects.map((o) => checkFieldOf(o, c));
  const bad = results.filter((r) => !r.ok);
  return {
    ok: bad.length === 0,
    message: (bad.length ? bad : results).map((r) => r.text).join("; "),
    simulated: objects.some((o) => fieldIsSimulated(o, splitPath(c.path))),
  };
}

/** The params of the field probe and signal. */
export const FIELD_PARAMS: ParamsSchema = {
  required: ["target", "path"],
  properties: {
    target: ref("target"),
    path: text("Dotted path into the object: status.phase, spec.replicas, status.conditions[0].type."),
    equals: { type: ["string", "number", "boolean", "null"], description: "The field equals this value." },
    matches: regex("The field (as text) matches this."),
    exists: { type: "boolean", description: "true: the field is present; false: it is absent." },
  },
};

/** Exactly one of equals, matches, exists (JSON Schema would say it only as an opaque oneOf). */
export const checkFieldParams: ParamsCheck = (params, report) => {
  const set = ["equals", "matches", "exists"].filter((k) => k in params);
  if (set.length !== 1)
    report(
      [],
      `needs exactly one of equals, matches or exists (${set.length === 0 ? "found none" : `found ${set.join(" and ")}`})`,
    );
};
