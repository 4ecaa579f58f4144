import { fieldIsSimulated } from "../sdk/provenance.ts";
import { NODE, pickNodes } from "../sdk/target.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import { TAINT_PARAMS } from "../steps/shared/taints.ts";
import { describeTaintCheck, findTaint, parseTaintCheck, taintText } from "../probes/shared/taint-check.ts";
import { defineSignal } from "../sdk/plugin.ts";

/**
 * taint { nodes, key, effect? } — seen when a selected node carries a taint with this
 * key (and effect), e.g. node.kubernetes.io/disk-pressure:NoSchedule. A state detector:
 * a taint already there before the fault must go and come back to count.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const c = parseTaintCheck(params, env);
  return {
    kinds: [NODE],
    describe: () => describeTaintCheck(c),
    match(ctx) {
      for (const node of pickNodes(ctx.view.list(NODE), c.nodes)) {
        const t = findTaint(node, c);
        if (t)
          return {
            kind: "taint",
            text: `Node/${node.metadata.name} taint ${taintText(t)}`,
            simulated: fieldIsSimulated(node, ["spec", "taints"]),
          };
      }
      return undefined;
    },
  };
}

export const taintSignal = defineSignal({
  name: "taint",
  description: "A node carries this taint.",
  params: TAINT_PARAMS,
  create,
});
