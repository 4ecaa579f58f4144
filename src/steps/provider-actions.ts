import { KubedrillError } from "../errors.ts";
import { Params } from "../sdk/params.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, ClusterAccess, Step, StepContext } from "../sdk/types.ts";
import { handle, undoAll } from "../sdk/handle.ts";

/** The provider's actions, or an error saying which step needs them. */
export function actionsOf(ctx: StepContext, step: string): ClusterAccess["actions"] {
  if (!ctx.cluster)
    throw new KubedrillError(
      `${step} needs a cluster provider's node actions, and this run has none (a plain kubeconfig cannot stop or fill nodes)`,
    );
  return ctx.cluster.actions;
}

/**
 * stopNodes { nodes } — the provider makes these nodes' kubelets stop heartbeating (a
 * real outage: the node goes NotReady, the node controller taints it). Revert brings
 * them back.
 */
export function stopNodesStep(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc));
  return {
    describe: () => `stop the kubelet of ${describeNodes(nodes)} (provider action)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "stopNodes");
      const names = (await resolveNodes(ctx.kube, nodes)).map((n) => n.metadata.name!);
      const stopped = await actions.stopNodes(names);
      ctx.log.info(`stopped node(s) ${names.join(", ")}`);
      return handle(() => stopped.revert());
    },
  };
}

/**
 * fillDisk { nodes } — the provider fills each node's disk (kind: a bounded filler pod;
 * local: a modelled kubelet reporting DiskPressure, marked simulated). Revert frees it.
 * If the 2nd node fails, the 1st is freed before the error is raised.
 */
export function fillDiskStep(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc));
  return {
    describe: () => `fill the disk of ${describeNodes(nodes)} (provider action)`,
    async inject(ctx) {
      const actions = actionsOf(ctx, "fillDisk");
      const names = (await resolveNodes(ctx.kube, nodes)).map((n) => n.metadata.name!);
      const done: { label: string; undo: () => Promise<void> }[] = [];
      let simulated = false;
      for (const name of names) {
        try {
          const filled = await actions.fillDisk(name);
          simulated ||= filled.simulated;
          done.push({ label: `free disk of ${name}`, undo: () => filled.revert() });
        } catch (err) {
          await undoAll(done).catch((e: Error) => ctx.log.warn(`undoing fillDisk: ${e.message}`));
          throw new KubedrillError(`fillDisk ${name}: ${(err as Error).message}`, { cause: err });
        }
      }
      ctx.log.info(`filled the disk of ${names.join(", ")}${simulated ? " (simulated)" : ""}`);
      return handle(() => undoAll(done), { simulated });
    },
  };
}
