import { isSimulated, textIsSimulated } from "../engine/objects.ts";
import { selectCached, targetNeed } from "../engine/target.ts";
import type { BuildEnv, Detector } from "../engine/types.ts";
import type { ViewChange } from "../engine/view.ts";
import { checkConditionOf, describeConditionCheck, parseConditionCheck } from "../probes/condition.ts";
import { checkFieldOf, describeFieldCheck, parseFieldCheck } from "../probes/field.ts";

/** A state detector looks again when an object of its kind changes (or on a full list). */
const relevant = (change: ViewChange | undefined, kind: string) => !change || change.type === "SYNC" || change.resource.kind === kind;

/**
 * condition { target, type, status, reason? } — seen when any matching object has the
 * condition (the condition's text is the evidence, verbatim).
 */
export function conditionSignal(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseConditionCheck(params, env);
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `condition ${describeConditionCheck(c)}`,
    match(ctx, change) {
      if (!relevant(change, c.target.kind)) return undefined;
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
    match(ctx, change) {
      if (!relevant(change, c.target.kind)) return undefined;
      for (const obj of selectCached(ctx.view, c.target)) {
        const r = checkFieldOf(obj, c);
        if (r.ok) return { kind: "field", text: r.text, simulated: isSimulated(obj) || textIsSimulated(r.text) };
      }
      return undefined;
    },
  };
}
