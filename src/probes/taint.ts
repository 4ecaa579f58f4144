import { fieldIsSimulated } from "../sdk/provenance.ts";
import { describeNodes, NODE, pickNodes } from "../sdk/target.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { TAINT_PARAMS } from "../steps/shared/taints.ts";
import { findTaint, parseTaintCheck, taintText, wantedTaint } from "./shared/taint-check.ts";
import { defineProbe } from "../sdk/plugin.ts";

/**
 * taint { nodes, key, effect? } — every selected node (at least one) carries a taint with
 * this key (and effect). The probe a fault waits on before it relies on the scheduler
 * keeping pods off those nodes: a node's Ready condition turns Unknown a moment before the
 * node-lifecycle controller taints it, and in that moment the scheduler still binds to it.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const c = parseTaintCheck(params, env);
  return {
    kinds: [NODE],
    describe: () => `taint ${wantedTaint(c)} on all ${describeNodes(c.nodes)}`,
    evaluate(ctx) {
      const picked = pickNodes(ctx.view.list(NODE), c.nodes);
      const absent = (c.nodes.names ?? []).filter((n) => !picked.some((node) => node.metadata.name === n));
      if (absent.length > 0)
        return { ok: false, message: absent.map((n) => `Node/${n} does not exist`).join("; "), simulated: false };
      if (picked.length === 0) return { ok: false, message: `no ${describeNodes(c.nodes)}`, simulated: false };
      const lines = picked.map((node) => {
        const t = findTaint(node, c);
        return {
          ok: t !== undefined,
          text: `Node/${node.metadata.name} ${t ? `taint ${taintText(t)}` : `has no taint ${wantedTaint(c)}`}`,
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
  params: TAINT_PARAMS,
  create,
});
