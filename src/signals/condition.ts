import { defineSignal } from "../sdk/plugin.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import {
  checkConditionOf,
  CONDITION_PARAMS,
  describeConditionCheck,
  parseConditionCheck,
} from "../probes/shared/condition-check.ts";
import { stateSignal } from "./shared/state-signal.ts";
import { conditionField } from "../sdk/provenance.ts";

/** condition { target, type, status, reason? } — seen when any matching object has the condition. */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseConditionCheck(params, env);
  return stateSignal("condition", c, describeConditionCheck(c), checkConditionOf, conditionField(c.type));
}

export const conditionSignal = defineSignal({
  name: "condition",
  description: "Signal: an object's status condition has the given type and status.",
  params: CONDITION_PARAMS,
  create,
});
