import type { KObject } from "../k8s/types.ts";
import { describeObject } from "../sdk/objects.ts";
import { fieldIsSimulated } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { describeTarget, parseTarget, selectCached, targetNeed } from "../sdk/target.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

/** Whether a workload has all its replicas available (and, for a Deployment, updated). */
function availability(obj: KObject): { ok: boolean; text: string } {
  const desired = typeof obj.spec?.replicas === "number" ? obj.spec.replicas : 1;
  const s = obj.status ?? {};
  const available: number = s.availableReplicas ?? (obj.kind === "StatefulSet" ? s.readyReplicas : undefined) ?? 0;
  const observed =
    s.observedGeneration === undefined ||
    obj.metadata.generation === undefined ||
    s.observedGeneration >= obj.metadata.generation;
  const updated = obj.kind !== "Deployment" || (s.updatedReplicas ?? 0) >= desired;
  const ok = available >= desired && observed && updated;
  const extra = !observed ? ", spec change not yet observed" : !updated ? `, ${s.updatedReplicas ?? 0} updated` : "";
  return { ok, text: `${describeObject(obj)}: ${available}/${desired} available${extra}` };
}

/** available { target } — a Deployment/StatefulSet/ReplicaSet with all replicas available. */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  return {
    kinds: [targetNeed(target)],
    describe: () => `${describeTarget(target)} available`,
    evaluate(ctx) {
      const objects = selectCached(ctx.view, target);
      if (objects.length === 0)
        return { ok: false, message: `${describeTarget(target)}: no such object`, simulated: false };
      const results = objects.map(availability);
      const bad = results.filter((r) => !r.ok);
      return {
        ok: bad.length === 0,
        message: (bad.length ? bad : results).map((r) => r.text).join("; "),
        simulated: objects.some((o) => fieldIsSimulated(o, ["status"])),
      };
    },
  };
}

export const availableProbe = defineProbe({
  name: "available",
  description: "A Deployment, StatefulSet or ReplicaSet has all its replicas available.",
  params: { required: ["target"], properties: { target: ref("target") } },
  create,
});
