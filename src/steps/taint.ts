import type { KObject } from "../k8s/types.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step, StepContext } from "../sdk/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { recordAndChange } from "../sdk/record.ts";

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function taintsOf(node: KObject): Taint[] {
  return Array.isArray(node.spec?.taints) ? (node.spec.taints as Taint[]) : [];
}

export const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;

/**
 * taint { nodes, key, value?, effect } — adds (or replaces, same key and effect) a taint.
 * untaint { nodes, key, effect? } — removes the taints with that key (and effect).
 * Both record the node's spec.taints first (on the node, see record.ts); revert restores
 * the recorded list.
 */
export function taintStep(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const nodes = parseNodes(p);
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

export function untaintStep(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const nodes = parseNodes(p);
  const key = p.str("key");
  const eff = effect(p, false);
  return {
    describe: () => `remove taint ${key}${eff ? `:${eff}` : ""} from ${describeNodes(nodes)}`,
    inject: (ctx) =>
      changeTaints(ctx, nodes, "untaint", (ts) => ts.filter((t) => !(t.key === key && (!eff || t.effect === eff)))),
  };
}

function effect(p: Params, required: boolean): string | undefined {
  const e = required ? p.str("effect") : p.optStr("effect");
  if (e !== undefined && !EFFECTS.includes(e)) p.fail("effect", `must be one of ${EFFECTS.join(", ")} (got "${e}")`);
  return e;
}

async function changeTaints(
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
  );
}
