import { taintsOf, type Taint } from "../../k8s/objects.ts";
import { describeObject, refOf } from "../../sdk/objects.ts";
import { Params } from "../../sdk/params.ts";
import { parseNodes, resolveNodes } from "../../sdk/target.ts";
import type { StepContext } from "../../sdk/types.ts";
import { allOrNothing } from "../../sdk/handle.ts";
import { recordAndChange } from "../../sdk/record.ts";
import type { ParamsSchema } from "../../sdk/plugin.ts";
import { ref, text } from "../../sdk/schema-parts.ts";

export type { Taint } from "../../k8s/objects.ts";

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export { taintsOf };

/** { nodes, key, effect? }: which taint on which nodes; the untaint step, the taint probe and signal. */
export const TAINT_PARAMS: ParamsSchema = {
  required: ["nodes", "key"],
  properties: { nodes: ref("nodeSelector"), key: text("Taint key."), effect: ref("taintEffect") },
};

export const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;

/** The `effect` param, checked against the taint effects. */
export function effect(p: Params, required: boolean): string | undefined {
  const e = required ? p.str("effect") : p.optStr("effect");
  if (e !== undefined && !EFFECTS.includes(e)) p.fail("effect", `must be one of ${EFFECTS.join(", ")} (got "${e}")`);
  return e;
}

/** Changes the taints of the selected nodes, recording each node's spec.taints first. */
export async function changeTaints(
  ctx: StepContext,
  target: ReturnType<typeof parseNodes>,
  verb: string,
  change: (ts: Taint[]) => Taint[],
) {
  const live = await resolveNodes(ctx.kube, target);
  return allOrNothing(
    live.map((node) => ({
      label: `${verb} ${describeObject(node)}`,
      run: async () => {
        const before = taintsOf(node);
        const after = change(before);
        if (JSON.stringify(before) === JSON.stringify(after)) return () => undefined;
        const restore = await recordAndChange(ctx, node, { spec: { taints: true } }, () =>
          ctx.kube.patch(refOf(node), { spec: { taints: after.length > 0 ? after : null } }, "merge"),
        );
        ctx.log.info(`${verb}: node ${node.metadata.name} taints now [${after.map(taintText).join(", ")}]`);
        return restore;
      },
    })),
    ctx.log,
    { independent: true }, // one node each
  );
}
