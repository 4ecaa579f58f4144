import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { ValidationError, type SourceProblem } from "../errors.ts";
import type { KObject } from "../k8s/types.ts";
import { isPlainObject } from "./objects.ts";
import type { Params } from "./params.ts";
import { substitute, type Substitutions } from "./substitute.ts";

/** A manifest object and where it was written (for messages). */
export interface Manifest {
  object: KObject;
  /** `manifests/app.yaml:12:1` or the scenario field of an inline object. */
  origin: string;
}

/**
 * Reads the objects of an `apply` step, at build time (before any cluster work): the
 * documents of `path` (relative to the scenario file; a file may hold several) and/or
 * the inline `objects`, with ${namespace} and ${runId} substituted in every string.
 * Empty documents are skipped; a document that is not an object with apiVersion, kind
 * and metadata.name is an error located at its line and column.
 */
export function readManifests(p: Params, dir: string, subs: Substitutions): { manifests: Manifest[]; source: string } {
  const manifests: Manifest[] = [];
  const sources: string[] = [];
  const path = p.optStr("path");
  if (path) {
    sources.push(path);
    const file = resolve(dir, path);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      p.fail("path", `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    manifests.push(...parseManifestFile(file, path, text, subs));
  }
  if (p.has("objects")) {
    const objects = p.values.objects;
    if (!Array.isArray(objects)) p.fail("objects", "must be a list of Kubernetes objects");
    objects.forEach((o, i) => {
      const origin = `${p.loc.file}:${p.loc.line}:${p.loc.column} ${p.loc.field}.objects[${i}]`;
      const problem = checkObject(o);
      if (problem) p.fail(`objects[${i}]`, problem);
      manifests.push({ object: substitute(o as KObject, subs), origin });
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

export function parseManifestFile(file: string, shown: string, text: string, subs: Substitutions): Manifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const problems: SourceProblem[] = [];
  const out: Manifest[] = [];
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, i) => {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      problems.push({
        file,
        line: pos.line,
        column: pos.col,
        field: `document ${i + 1}`,
        message: e.message.split("\n")[0]!,
      });
    }
    if (doc.errors.length > 0) return;
    const value: unknown = doc.toJS();
    const start = lineCounter.linePos(doc.contents?.range[0] ?? 0);
    if (value === null || value === undefined) return;
    const problem = checkObject(value);
    if (problem) {
      problems.push({ file, line: start.line, column: start.col, field: `document ${i + 1}`, message: problem });
      return;
    }
    out.push({ object: substitute(value as KObject, subs), origin: `${shown}:${start.line}:${start.col}` });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}
