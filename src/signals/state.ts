import { isSimulated, textIsSimulated } from "../sdk/objects.ts";
import { selectCached, targetNeed, type Target } from "../sdk/target.ts";
import type { KObject } from "../k8s/types.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import { checkConditionOf, describeConditionCheck, parseConditionCheck } from "../probes/condition.ts";
import { checkFieldOf, describeFieldCheck, parseFieldCheck } from "../probes/field.ts";

/**
 * A detector that is seen when any object matching `target` passes `check`; the check's
 * text is the evidence, verbatim. Like every state detector it answers from the cached
 * state alone (the engine decides when to ask, and whether a state present before the
 * fault counts: src/engine/detection.ts).
 */
function stateSignal<C extends { target: Target }>(
  kind: string,
  c: C,
  describe: string,
  check: (obj: KObject, c: C) => { ok: boolean; text: string },
): Detector {
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `${kind} ${describe}`,
    match(ctx) {
      for (const obj of selectCached(ctx.view, c.target)) {
        const r = check(obj, c);
        if (r.ok) return { kind, text: r.text, simulated: isSimulated(obj) || textIsSimulated(r.text) };
      }
      return undefined;
    },
  };
}

/** condition { target, type, status, reason? } — seen when any matching object has the condition. */
export function conditionSignal(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseConditionCheck(params, env);
  return stateSignal("condition", c, describeConditionCheck(c), checkConditionOf);
}

/** field { target, path, equals? | matches? | exists? } — seen when any matching object passes. */
export function fieldSignal(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseFieldCheck(params, env);
  return stateSignal("field", c, describeFieldCheck(c), checkFieldOf);
}
