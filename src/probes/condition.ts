import { defineProbe } from "../sdk/plugin.ts";
import { targetNeed } from "../sdk/target.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import {
  CONDITION_PARAMS,
  describeConditionCheck,
  evaluateCondition,
  parseConditionCheck,
} from "./shared/condition-check.ts";

/** condition { target, type, status, reason? } — every matching object (at least one) has the condition. */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const c = parseConditionCheck(params, env);
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `condition ${describeConditionCheck(c)}`,
    evaluate: (ctx) => evaluateCondition(ctx.view, c),
  };
}

export const conditionProbe = defineProbe({
  name: "condition",
  description: "Probe: an object's status condition has the given type and status.",
  params: CONDITION_PARAMS,
  create,
});
