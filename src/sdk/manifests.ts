import type { KObject } from "../k8s/types.ts";
import { ValidationError } from "../errors.ts";
import { manifestObjects, manifestProblems, parseManifest } from "../scenario/manifests.ts";
import { isPlainObject } from "./objects.ts";
import type { Params } from "./params.ts";
import { substitute, type Substitutions } from "./substitute.ts";
import type { BuildEnv, Manifest } from "./types.ts";

/** A manifest object and where it was written (for messages). */
export type { Manifest } from "./types.ts";

/**
 * The objects of an `apply` step, at build time (before any cluster work): the documents
 * of `path` (relative to the scenario file; a file may hold several), read through
 * `env.manifests` (the run's files, each read and checked once), and/or the inline
 * `objects`, with ${namespace} and ${runId} substituted in every string.
 */
export function readManifests(p: Params, env: BuildEnv): { manifests: Manifest[]; source: string } {
  const manifests: Manifest[] = [];
  const sources: string[] = [];
  const path = p.optStr("path");
  if (path) {
    sources.push(path);
    manifests.push(...env.manifests(path).map((m) => ({ ...m, object: substitute(m.object, env) })));
  }
  if (p.has("objects")) {
    const objects = p.values.objects;
    if (!Array.isArray(objects)) p.fail("objects", "must be a list of Kubernetes objects");
    objects.forEach((o, i) => {
      const origin = `${p.loc.file}:${p.loc.line}:${p.loc.column} ${p.loc.field}.objects[${i}]`;
      const problem = checkObject(o);
      if (problem) p.fail(`objects[${i}]`, problem);
      manifests.push({ object: substitute(o as KObject, env), origin });
    });
    sources.push(`${objects.length} inline object(s)`);
  }
  if (!path && !p.has("objects")) p.fail("", "needs a path or objects");
  return { manifests, source: sources.join(" and ") };
}

function checkObject(o: unknown): string | undefined {
  if (!isPlainObject(o)) return "must be a Kubernetes object (a map)";
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") return "must have apiVersion and kind";
  if (!isPlainObject(o.metadata) || typeof o.metadata.name !== "string" || o.metadata.name === "")
    return "must have metadata.name (server-side apply needs a name)";
  return undefined;
}

/**
 * The objects of a manifest file's text, checked by the one manifest checker
 * (src/scenario/manifests.ts) and substituted; throws a ValidationError located in `file`.
 */
export function parseManifestFile(file: string, shown: string, text: string, subs: Substitutions): Manifest[] {
  const parsed = parseManifest(text, file);
  const problems = manifestProblems(parsed);
  if (problems.length > 0) throw new ValidationError(problems);
  return manifestObjects(parsed).map((o) => ({
    object: substitute(o.object, subs),
    origin: `${shown}:${o.line}:${o.column}`,
  }));
}
