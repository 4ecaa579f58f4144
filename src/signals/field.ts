import { defineSignal } from "../sdk/plugin.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import {
  checkFieldOf,
  checkFieldParams,
  describeFieldCheck,
  FIELD_PARAMS,
  parseFieldCheck,
} from "../probes/shared/field-check.ts";
import { stateSignal } from "./shared/state-signal.ts";
import { splitPath } from "../sdk/objects.ts";

/** field { target, path, equals? | matches? | exists? } — seen when any matching object passes. */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseFieldCheck(params, env);
  return stateSignal("field", c, describeFieldCheck(c), checkFieldOf, splitPath(c.path));
}

export const fieldSignal = defineSignal({
  name: "field",
  description:
    "Signal: a field of an object (by dotted path) equals a value, matches a regular expression, or exists. Exactly one of equals, matches, exists.",
  params: FIELD_PARAMS,
  check: checkFieldParams,
  create,
});
