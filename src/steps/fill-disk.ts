import { KubedrillError } from "../errors.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeNodes, parseNodes, resolveNodes } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { handle, undoAll } from "../sdk/handle.ts";
import { actionsOf } from "./shared/provider.ts";

/**
 * fillDisk { nodes } — the provider fills each node's disk (kind: a bounded filler pod;
 * real local nodes: their own disk filled to the last block; kwok nodes: a modelled kubelet
 * reporting DiskPressure, marked simulated). Revert frees it.
 * If the 2nd node fails, the 1st is freed before the error is raised.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const nodes = parseNodes(new Params(params, env.loc), "nodes", env.namespace);
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

export const fillDiskStep = defineStep({
  name: "fillDisk",
  description: "Provider action: the nodes' disks fill up (DiskPressure).",
  scope: "provider",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create,
  fidelity: {
    kwok: {
      mode: "simulated",
      note: "the kwok kubelet reports DiskPressure and failing image pulls; no disk is written",
    },
  },
});
