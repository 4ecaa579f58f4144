import type { SourceProblem } from "../errors.ts";
import type { KObject } from "../k8s/types.ts";
import { parseYaml, type ParsedDocument, type Seg } from "./source.ts";
import { isPlainObject as isMapValue } from "../sdk/objects.ts";
import { objectMetadataProblems } from "../sdk/names.ts";
import { variableProblems } from "./variables.ts";

/** A manifest file parsed once: its documents and YAML syntax problems (not yet checked as objects). */
export interface ParsedManifest {
  documents: ParsedDocument[];
  syntax: SourceProblem[];
}

/** One Kubernetes object of a manifest file and where its document starts. */
interface ManifestObject {
  object: KObject;
  line: number;
  column: number;
}

export function parseManifest(text: string, file: string): ParsedManifest {
  const { documents, problems } = parseYaml(text, file);
  return { documents, syntax: problems };
}

/**
 * The one manifest checker (validate and the `apply` step both use it): every document
 * must parse and be a Kubernetes object with apiVersion, kind and metadata.name. Problems
 * are located in the manifest; `context` (e.g. `applied by s.yaml:12:9`) ends each message.
 */
export function manifestProblems(m: ParsedManifest, context?: string): SourceProblem[] {
  const suffix = (which: string) =>
    which || context ? ` (${which}${which && context ? ", " : ""}${context ?? ""})` : "";
  const out = m.syntax.map((p) => ({ ...p, message: `${p.message}${suffix("")}` }));
  const nonEmpty = m.documents.filter((d) => !blank(d));
  const file = m.documents[0]?.locator.file ?? m.syntax[0]?.file ?? "";
  if (m.syntax.length === 0 && nonEmpty.length === 0)
    out.push({ file, line: 1, column: 1, field: "", message: `holds no Kubernetes objects${suffix("")}` });
  for (const [i, doc] of m.documents.entries()) {
    if (blank(doc) || doc.value === undefined) continue;
    const which = m.documents.length > 1 ? `document ${i + 1}` : "";
    const report = (at: Seg[], field: Seg[], message: string) =>
      out.push(doc.locator.problem(at, `${message}${suffix(which)}`, { field }));
    const obj = doc.value;
    if (!isMapValue(obj)) {
      report([], [], "a manifest document must be a Kubernetes object (a map)");
      continue;
    }
    for (const key of ["apiVersion", "kind"]) {
      if (obj[key] === undefined) report([], [key], "is required");
      else if (typeof obj[key] !== "string" || obj[key] === "") report([key], [key], "must be a non-empty string");
    }
    objectMetadataProblems(obj, (at, message) => report(at, at, message));
    variableProblems(obj, [], (at, message) => report(at, at, message));
    const name = isMapValue(obj.metadata) ? obj.metadata.name : undefined;
    if (typeof name !== "string" || name === "")
      report(
        isMapValue(obj.metadata) ? ["metadata"] : [],
        ["metadata", "name"],
        "is required (server-side apply needs a name)",
      );
  }
  return out;
}

/** The objects of a manifest that has no problems (manifestProblems is empty), in order. */
export function manifestObjects(m: ParsedManifest): ManifestObject[] {
  return m.documents
    .filter((d) => !blank(d) && d.value !== undefined)
    .map((d) => ({ object: d.value as KObject, ...d.locator.at([]) }));
}

/** No content, or only comments (`---` then a comment): skipped, as kubectl does. */
function blank(d: ParsedDocument): boolean {
  return d.empty || d.value === null;
}
