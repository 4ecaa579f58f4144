import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeNodes, parseNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { changeTaints, effect, taintText, type Taint } from "./shared/taints.ts";

/**
 * taint { nodes, key, value?, effect } — adds (or replaces, same key and effect) a taint.
 * The node's spec.taints is recorded first (on the node, see record.ts); revert restores
 * the recorded list.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const nodes = parseNodes(p, "nodes", env.namespace);
  const taint: Taint = {
    key: p.str("key"),
    effect: effect(p, true)!,
    ...(p.has("value") ? { value: p.str("value") } : {}),
  };
  return {
    describe: () => `taint ${describeNodes(nodes)} with ${taintText(taint)}`,
    inject: (ctx) =>
      changeTaints(ctx, nodes, "taint", (ts) => [
        ...ts.filter((t) => !(t.key === taint.key && t.effect === taint.effect)),
        taint,
      ]),
  };
}

export const taintStep = defineStep({
  name: "taint",
  description: "Add a taint to nodes.",
  scope: "nodes",
  params: {
    required: ["nodes", "key", "effect"],
    properties: {
      nodes: ref("nodeSelector"),
      key: { type: "string", minLength: 1, description: "Taint key, e.g. node.kubernetes.io/disk-pressure." },
      value: { type: "string", description: "Taint value (optional)." },
      effect: ref("taintEffect"),
    },
  },
  create,
});
