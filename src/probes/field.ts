import { defineProbe } from "../sdk/plugin.ts";
import { targetNeed } from "../sdk/target.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import {
  checkFieldParams,
  describeFieldCheck,
  evaluateField,
  FIELD_PARAMS,
  parseFieldCheck,
} from "./shared/field-check.ts";

/** field { target, path, equals? | matches? | exists? } — every matching object passes. */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const c = parseFieldCheck(params, env);
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `field ${describeFieldCheck(c)}`,
    evaluate: (ctx) => evaluateField(ctx.view, c),
  };
}

export const fieldProbe = defineProbe({
  name: "field",
  description:
    "Probe: a field of an object (by dotted path) equals a value, matches a regular expression, or exists. Exactly one of equals, matches, exists.",
  params: FIELD_PARAMS,
  check: checkFieldParams,
  create,
});
