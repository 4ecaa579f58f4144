import { isSimulated, textIsSimulated } from "../engine/objects.ts";
import { selectCached, targetNeed } from "../engine/target.ts";
import type { BuildEnv, Detector } from "../engine/types.ts";
import { checkConditionOf, describeConditionCheck, parseConditionCheck } from "../probes/condition.ts";
import { checkFieldOf, describeFieldCheck, parseFieldCheck } from "../probes/field.ts";

/**
 * condition { target, type, status, reason? } — seen when any matching object has the
 * condition (the condition's text is the evidence, verbatim). Like every state detector
 * it answers from the cached state alone (the engine decides when to ask, and whether a
 * state present before the fault counts: src/engine/detection.ts).
 */
export function conditionSignal(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseConditionCheck(params, env);
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `condition ${describeConditionCheck(c)}`,
    match(ctx) {
      for (const obj of selectCached(ctx.view, c.target)) {
        const r = checkConditionOf(obj, c);
        if (r.ok) return { kind: "condition", text: r.text, simulated: isSimulated(obj) || textIsSimulated(r.text) };
      }
      return undefined;
    },
  };
}

/** field { target, path, equals? | matches? | exists? } — seen when any matching object passes. */
export function fieldSignal(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseFieldCheck(params, env);
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `field ${describeFieldCheck(c)}`,
    match(ctx) {
      for (const obj of selectCached(ctx.view, c.target)) {
        const r = checkFieldOf(obj, c);
        if (r.ok) return { kind: "field", text: r.text, simulated: isSimulated(obj) || textIsSimulated(r.text) };
      }
      return undefined;
    },
  };
}
