import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { describeNodes, parseNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { changeTaints, effect, TAINT_PARAMS } from "./shared/taints.ts";

/**
 * untaint { nodes, key, effect? } — removes the taints with that key (and effect). The
 * node's spec.taints is recorded first; revert restores the recorded list.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const nodes = parseNodes(p, "nodes", env.namespace);
  const key = p.str("key");
  const eff = effect(p, false);
  return {
    describe: () => `remove taint ${key}${eff ? `:${eff}` : ""} from ${describeNodes(nodes)}`,
    inject: (ctx) =>
      changeTaints(ctx, nodes, "untaint", (ts) => ts.filter((t) => !(t.key === key && (!eff || t.effect === eff)))),
  };
}

export const untaintStep = defineStep({
  name: "untaint",
  description: "Remove a taint from nodes.",
  scope: "nodes",
  params: TAINT_PARAMS,
  create,
});
