import { withContext } from "../errors.ts";
import { knownKind } from "../k8s/kinds.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, LABEL_SCENARIO, MANAGED_BY } from "../k8s/types.ts";
import { clone, describeObject, refOf } from "../sdk/objects.ts";
import { Params } from "../sdk/params.ts";
import type { BuildEnv, Step, StepContext } from "../sdk/types.ts";
import { allOrNothing } from "../sdk/handle.ts";
import { touchedByMerge } from "../sdk/inverse.ts";
import { readManifests, type Manifest } from "../sdk/manifests.ts";
import { recordAndChange, undoCreate } from "../sdk/record.ts";
import { defineStep } from "../sdk/plugin.ts";
import { objectMetadataProblems } from "../sdk/names.ts";
import { ref, text } from "../sdk/schema-parts.ts";

/**
 * apply { path?, objects? } — server-side apply of every object, in order.
 * - Namespaced objects without a namespace get the scenario's namespace (an explicit
 *   other namespace is kept, and then counts as "outside" the run).
 * - Every object gets the labels kubedrill.io/run-id, kubedrill.io/scenario and
 *   app.kubernetes.io/managed-by=kubedrill.
 * - Revert (only outside the run's namespace, record.ts): an object that did not exist is
 *   deleted; one that existed is put back as it was (the fields the manifest sets,
 *   including those labels, are restored from the state recorded just before applying;
 *   if the apply fails, that record is undone at once).
 * - If the 3rd of 5 objects fails, the first two are undone before the error is raised.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const p: Params = new Params(params, env.loc);
  const { manifests, source } = readManifests(p, env);
  const names = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
  return {
    describe: () =>
      `apply ${manifests.length} object(s) from ${source}: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}`,
    inject: (ctx) =>
      allOrNothing(
        manifests.map((m) => ({ label: `apply ${names[manifests.indexOf(m)]}`, run: () => applyOne(ctx, m) })),
        ctx.log,
      ),
  };
}

async function applyOne(ctx: StepContext, m: Manifest) {
  const obj = clone(m.object);
  const namespaced = knownKind(obj.kind, obj.apiVersion)?.namespaced ?? (await ctx.kube.isNamespaced(obj));
  if (namespaced) {
    obj.metadata.namespace ??= ctx.namespace;
    if (!ctx.ownedNamespaces.has(obj.metadata.namespace)) ctx.touched(obj, obj.metadata.namespace);
  } else {
    delete obj.metadata.namespace;
    ctx.touched(obj);
  }
  obj.metadata.labels = {
    ...obj.metadata.labels,
    [LABEL_RUN_ID]: ctx.runId,
    [LABEL_SCENARIO]: ctx.scenarioLabel,
    [LABEL_MANAGED]: MANAGED_BY,
  };
  const ref = refOf(obj);
  try {
    const existing = await ctx.kube.get(ref);
    if (!existing) {
      await ctx.kube.apply(obj);
      ctx.log.debug(`applied ${describeObject(obj)} (${m.origin})`);
      return undoCreate(ctx, obj);
    }
    const { metadata, ...rest } = obj;
    const touched = touchedByMerge({
      ...rest,
      metadata: { labels: metadata.labels, annotations: metadata.annotations },
    });
    delete touched.apiVersion;
    delete touched.kind;
    delete touched.status;
    const restore = await recordAndChange(ctx, existing, touched, () => ctx.kube.apply(obj));
    ctx.log.debug(`applied ${describeObject(obj)} over an existing object (${m.origin})`);
    return restore;
  } catch (err) {
    throw withContext(`apply ${describeObject(obj)} (${m.origin})`, err);
  }
}

export const applyStep = defineStep({
  name: "apply",
  description:
    "Server-side apply of Kubernetes objects, from a manifest file (`path`, relative to the scenario file; several documents allowed) and/or inline `objects`.",
  scope: "target",
  params: {
    properties: {
      path: text("Manifest file, relative to the scenario file; may hold several YAML documents."),
      objects: {
        type: "array",
        minItems: 1,
        description: "Inline Kubernetes objects to apply.",
        items: ref("kubeObject"),
      },
    },
  },
  check(params, report) {
    if (params.path === undefined && params.objects === undefined)
      report([], "needs path (a manifest file) or objects (inline objects)");
    if (Array.isArray(params.objects))
      params.objects.forEach((o, i) =>
        objectMetadataProblems(o, (path, message) => report(["objects", i, ...path], message)),
      );
  },
  create,
});
