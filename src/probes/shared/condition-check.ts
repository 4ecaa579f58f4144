import type { KObject } from "../../k8s/types.ts";
import { conditionText, conditionsOf, describeObject } from "../../sdk/objects.ts";
import { conditionField, fieldIsSimulated } from "../../sdk/provenance.ts";
import { Params } from "../../sdk/params.ts";
import { describeTarget, parseTarget, selectCached, type Target } from "../../sdk/target.ts";
import type { BuildEnv, ProbeResult } from "../../sdk/types.ts";
import type { ParamsSchema } from "../../sdk/plugin.ts";
import { ref, text } from "../../sdk/schema-parts.ts";
import type { ClusterView } from "../../sdk/types.ts";

/** condition { target, type, status, reason? } — shared by the probe and the signal. */
interface ConditionCheck {
  target: Target;
  type: string;
  status: string;
  reason?: string;
}

export function parseConditionCheck(params: Record<string, unknown>, env: BuildEnv): ConditionCheck {
  const p = new Params(params, env.loc);
  const status = typeof p.values.status === "boolean" ? (p.values.status ? "True" : "False") : p.str("status");
  const reason = p.optStr("reason");
  return {
    target: parseTarget(p, "target", env.namespace),
    type: p.str("type"),
    status,
    ...(reason ? { reason } : {}),
  };
}

export const describeConditionCheck = (c: ConditionCheck) =>
  `${describeTarget(c.target)} ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`;

/** The object's condition text, verbatim, and whether it is as expected. */
export function checkConditionOf(obj: KObject, c: ConditionCheck): { ok: boolean; text: string } {
  const cond = conditionsOf(obj).find((x) => x.type === c.type);
  if (!cond) return { ok: false, text: `${describeObject(obj)} has no ${c.type} condition` };
  const ok = cond.status === c.status && (c.reason === undefined || cond.reason === c.reason);
  return { ok, text: `${describeObject(obj)} ${conditionText(cond)}` };
}

/** Every matching object (at least one) must have the condition. */
export function evaluateCondition(view: ClusterView, c: ConditionCheck): ProbeResult {
  const objects = selectCached(view, c.target);
  if (objects.length === 0)
    return { ok: false, message: `${describeTarget(c.target)}: no such object`, simulated: false };
  const results = objects.map((o) => checkConditionOf(o, c));
  const bad = results.filter((r) => !r.ok);
  return {
    ok: bad.length === 0,
    message: (bad.length ? bad : results).map((r) => r.text).join("; "),
    simulated: objects.some((o) => fieldIsSimulated(o, conditionField(c.type))),
  };
}

/** The params of the condition probe and signal. */
export const CONDITION_PARAMS: ParamsSchema = {
  required: ["target", "type", "status"],
  properties: {
    target: ref("target"),
    type: text("Condition type, e.g. Ready, DiskPressure, Available."),
    status: { type: "string", enum: ["True", "False", "Unknown"], description: 'Condition status (quote it: "True").' },
    reason: text("Condition reason, compared exactly."),
  },
};
