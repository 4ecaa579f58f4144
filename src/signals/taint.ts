import { fieldIsSimulated } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { describeNodes, NODE, parseNodes, pickNodes } from "../sdk/target.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import { taintsOf, taintText } from "../steps/shared/taints.ts";
import { defineSignal } from "../sdk/plugin.ts";
import { ref, text } from "../sdk/schema-parts.ts";

/**
 * taint { nodes, key, effect? } — seen when a selected node carries a taint with this
 * key (and effect), e.g. node.kubernetes.io/disk-pressure:NoSchedule. A state detector:
 * a taint already there before the fault must go and come back to count.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const p = new Params(params, env.loc);
  const nodes = parseNodes(p);
  const key = p.str("key");
  const effect = p.optStr("effect");
  return {
    kinds: [NODE],
    describe: () => `taint ${key}${effect ? `:${effect}` : ""} on ${describeNodes(nodes)}`,
    match(ctx) {
      for (const node of pickNodes(ctx.view.list(NODE), nodes)) {
        const t = taintsOf(node).find((x) => x.key === key && (!effect || x.effect === effect));
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
  params: {
    required: ["nodes", "key"],
    properties: { nodes: ref("nodeSelector"), key: text("Taint key."), effect: ref("taintEffect") },
  },
  create,
});
