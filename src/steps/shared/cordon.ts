import { describeObject, refOf } from "../../sdk/objects.ts";
import { Params } from "../../sdk/params.ts";
import { describeNodes, parseNodes, resolveNodes } from "../../sdk/target.ts";
import type { BuildEnv, Step } from "../../sdk/types.ts";
import { allOrNothing } from "../../sdk/handle.ts";
import { recordAndChange } from "../../sdk/record.ts";

/**
 * cordon { nodes } / uncordon { nodes } — sets spec.unschedulable on the selected nodes.
 * The node's previous value is recorded (on the node, see record.ts) before the change;
 * revert restores it. So an `uncordon` remediation after a `cordon` fault unwinds cleanly.
 */
export function cordonFactory(unschedulable: boolean) {
  return (params: Record<string, unknown>, env: BuildEnv): Step => {
    const p: Params = new Params(params, env.loc);
    const nodes = parseNodes(p, "nodes", env.namespace);
    const verb = unschedulable ? "cordon" : "uncordon";
    return {
      describe: () => `${verb} ${describeNodes(nodes)}`,
      async inject(ctx) {
        const live = await resolveNodes(ctx.kube, nodes);
        return allOrNothing(
          live.map((node) => ({
            label: `${verb} ${describeObject(node)}`,
            run: async () => {
              const restore = await recordAndChange(ctx, node, { spec: { unschedulable: true } }, () =>
                ctx.kube.patch(refOf(node), { spec: { unschedulable } }, "merge"),
              );
              ctx.log.info(`${verb}ed node ${node.metadata.name}`);
              return restore;
            },
          })),
          ctx.log,
          { independent: true }, // one node each
        );
      },
    };
  };
}
