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
import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";

const TYPES: PatchType[] = ["merge", "strategic", "json"];

/**
 * patch { target, patch, patchType? (merge), subresource? (status) } — patches every
 * object the target matches (at least one must). Each object's touched fields are
 * recorded first (and the record undone if the patch fails); revert puts them back with
 * a merge patch (lists whole).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
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

const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

export const patchStep = defineStep({
  name: "patch",
  description: "Patch one object (or every object matching the target's selector).",
  scope: "target",
  params: {
    required: ["target", "patch"],
    properties: {
      target: ref("target"),
      patch: {
        type: ["object", "array"],
        description: "The patch: a map for merge/strategic patches, a list of operations for patchType json.",
      },
      patchType: {
        type: "string",
        enum: TYPES,
        default: "merge",
        description: "merge (RFC 7386), strategic (Kubernetes strategic merge) or json (RFC 6902).",
      },
      subresource: {
        type: "string",
        enum: ["status"],
        description: "Patch the status subresource instead of the object.",
      },
    },
  },
  check(params, report) {
    const list = Array.isArray(params.patch);
    if (list && params.patchType !== "json" && params.patchType !== undefined)
      report(
        ["patchType"],
        `is ${JSON.stringify(params.patchType)} but patch is a list of operations, which needs patchType: json`,
      );
    else if (list && params.patchType === undefined)
      report(["patch"], "is a list of operations (a JSON patch): set patchType: json");
    else if (isMap(params.patch) && params.patchType === "json")
      report(["patch"], "must be a list of operations for patchType json (got a map)");
  },
  create,
});

/** The patch for plans and timelines: a Secret's shows only the fields it sets, others are redacted. */
function patchText(kind: string, patch: unknown, type: PatchType): string {
  if (kind !== "Secret") return redact(JSON.stringify(patch));
  const touched = type === "json" ? touchedByJsonPatch(patch, undefined) : touchedByMerge(patch);
  return `sets ${paths(touched).join(", ") || "nothing"} (values hidden)`;
}

function paths(t: Touched, prefix = ""): string[] {
  return Object.entries(t).flatMap(([k, v]) => (v === true ? [`${prefix}${k}`] : paths(v, `${prefix}${k}.`)));
}
