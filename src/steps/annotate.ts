/**
 * The template for a new step: copy this file, rename it, and add one line to
 * src/steps/all.ts. A step module exports one definition (src/sdk/plugin.ts):
 * its `type:` name, a description, its scope, the JSON-Schema fragment of its params
 * (the scenario schema is generated from it) and the factory. The factory checks its
 * params with Params (errors located at file:line:col) before any cluster work; the
 * step's inject() returns the handle that undoes it.
 */
import { KubedrillError } from "../errors.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import { defineStep } from "../sdk/plugin.ts";
import { recordAndChange } from "../sdk/record.ts";
import { ref } from "../sdk/schema-parts.ts";
import { describeTarget, parseTarget, selectLive } from "../sdk/target.ts";
import type { BuildEnv, Step } from "../sdk/types.ts";

/**
 * annotate { target, annotations } — sets annotations on every matching object (at least
 * one must match). The annotations it sets are recorded first; revert puts back their
 * previous values (removing those that were absent).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const target = parseTarget(p, "target", env.namespace);
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.obj("annotations"))) {
    if (typeof value !== "string") p.fail(`annotations.${key}`, `must be a string (got ${JSON.stringify(value)})`);
    annotations[key] = value;
  }
  const keys = Object.keys(annotations);
  if (keys.length === 0) p.fail("annotations", "must set at least one annotation");
  const touched = { metadata: { annotations: Object.fromEntries(keys.map((k) => [k, true as const])) } };
  return {
    describe: () => `annotate ${describeTarget(target)} with ${keys.join(", ")}`,
    async inject(ctx) {
      const objects = await selectLive(ctx.kube, target);
      if (objects.length === 0) throw new KubedrillError(`annotate: nothing matches ${describeTarget(target)}`);
      return allOrNothing(
        objects.map((obj) => ({
          label: `annotate ${describeObject(obj)}`,
          run: () =>
            recordAndChange(ctx, obj, touched, () =>
              ctx.kube.patch(refOf(obj), { metadata: { annotations } }, "merge"),
            ),
        })),
        ctx.log,
      );
    },
  };
}

export const annotateStep = defineStep({
  name: "annotate",
  description: "Set annotations on the target object(s); revert restores their previous values.",
  // Decided by the target's kind: annotating a Node reaches beyond the namespace.
  scope: "target",
  params: {
    required: ["target", "annotations"],
    properties: {
      target: ref("target"),
      annotations: {
        type: "object",
        minProperties: 1,
        description: "Annotations to set, e.g. { chaos.example.com/reason: drill }.",
        additionalProperties: { type: "string" },
      },
    },
  },
  create,
});
