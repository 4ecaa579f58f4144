import { KubedrillError, withContext } from "../errors.ts";
import type { PatchType } from "../k8s/kube.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import { describeTarget, parseTarget, selectLive } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { touchedByJsonPatch, touchedByMerge, type Touched } from "../sdk/inverse.ts";
import { redact } from "../util/redact.ts";
import { recordAndChange } from "../sdk/record.ts";

const TYPES: PatchType[] = ["merge", "strategic", "json"];

/**
 * patch { target, patch, patchType? (merge), subresource? (status) } — patches every
 * object the target matches (at least one must). Each object's touched fields are
 * recorded first (and the record undone if the patch fails); revert puts them back with
 * a merge patch (lists whole).
 */
export function patchStep(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  const type = (p.optStr("patchType") ?? "merge") as PatchType;
  if (!TYPES.includes(type)) p.fail("patchType", `must be one of ${TYPES.join(", ")} (got "${type}")`);
  const patch = p.values.patch;
  if (type === "json" ? !Array.isArray(patch) : patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    p.fail("patch", type === "json" ? "must be a list of JSON-patch operations" : "must be a map");
  }
  const sub = p.optStr("subresource");
  if (sub !== undefined && sub !== "status") p.fail("subresource", `must be "status" (got "${sub}")`);
  const opts = sub ? { subresource: "status" as const } : {};
  return {
    describe: () =>
      `patch ${describeTarget(target)}${sub ? "/status" : ""} (${type}): ${patchText(target.kind, patch, type)}`,
    async inject(ctx) {
      const objects = await selectLive(ctx.kube, target);
      if (objects.length === 0) throw new KubedrillError(`patch: nothing matches ${describeTarget(target)}`);
      return allOrNothing(
        objects.map((obj) => ({
          label: `patch ${describeObject(obj)}`,
          run: async () => {
            const touched = type === "json" ? touchedByJsonPatch(patch, obj) : touchedByMerge(patch);
            return recordAndChange(
              ctx,
              obj,
              touched,
              async () => {
                try {
                  await ctx.kube.patch(refOf(obj), patch, type, opts);
                } catch (err) {
                  throw withContext(`patch ${describeObject(obj)}`, err);
                }
              },
              opts,
            );
          },
        })),
        ctx.log,
      );
    },
  };
}

/** The patch for plans and timelines: a Secret's shows only the fields it sets, others are redacted. */
function patchText(kind: string, patch: unknown, type: PatchType): string {
  if (kind !== "Secret") return redact(JSON.stringify(patch));
  const touched = type === "json" ? touchedByJsonPatch(patch, undefined) : touchedByMerge(patch);
  return `sets ${paths(touched).join(", ") || "nothing"} (values hidden)`;
}

function paths(t: Touched, prefix = ""): string[] {
  return Object.entries(t).flatMap(([k, v]) => (v === true ? [`${prefix}${k}`] : paths(v, `${prefix}${k}.`)));
}
