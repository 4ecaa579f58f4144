import { fieldIsSimulated } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { describeNodes, NODE, parseNodes, pickNodes } from "../sdk/target.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { taintsOf, taintText } from "../steps/shared/taints.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { ref, text } from "../sdk/schema-parts.ts";

/**
 * taint { nodes, key, effect? } — every selected node (at least one) carries a taint with
 * this key (and effect). The probe a fault waits on before it relies on the scheduler
 * keeping pods off those nodes: a node's Ready condition turns Unknown a moment before the
 * node-lifecycle controller taints it, and in that moment the scheduler still binds to it.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const nodes = parseNodes(p);
  const key = p.str("key");
  const effect = p.optStr("effect");
  const wanted = `${key}${effect ? `:${effect}` : ""}`;
  return {
    kinds: [NODE],
    describe: () => `taint ${wanted} on every one of ${describeNodes(nodes)}`,
    evaluate(ctx) {
      const picked = pickNodes(ctx.view.list(NODE), nodes);
      if (picked.length === 0) return { ok: false, message: `no ${describeNodes(nodes)}`, simulated: false };
      const lines = picked.map((node) => {
        const t = taintsOf(node).find((x) => x.key === key && (!effect || x.effect === effect));
        return {
          ok: t !== undefined,
          text: `Node/${node.metadata.name} ${t ? `taint ${taintText(t)}` : `has no taint ${wanted}`}`,
        };
      });
      const missing = lines.filter((l) => !l.ok);
      return {
        ok: missing.length === 0,
        message: (missing.length ? missing : lines).map((l) => l.text).join("; "),
        simulated: picked.some((node) => fieldIsSimulated(node, ["spec", "taints"])),
      };
    },
  };
}

export const taintProbe = defineProbe({
  name: "taint",
  description: "Probe: every selected node carries this taint.",
  params: {
    required: ["nodes", "key"],
    properties: { nodes: ref("nodeSelector"), key: text("Taint key."), effect: ref("taintEffect") },
  },
  create,
});
