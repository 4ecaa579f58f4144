import { readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { checkScenarios } from "../pipeline/check.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import { scenarioFidelity, type ProviderFidelity } from "./fidelity.ts";
import { BUNDLED_DIR } from "./locate.ts";

/** One scenario of the catalogue (`kubedrill list`, `describe`). */
export interface CatalogueEntry {
  name: string;
  /** As shown: relative to the current folder, or `<kubedrill>/scenarios/x.yaml` for shipped ones. */
  file: string;
  /** Shipped with kubedrill, or one of the user's. */
  origin: "shipped" | "yours";
  description: string;
  /** The failure it reproduces: the title of its docs/failures.md entry, else its description. */
  failure: string;
  /** `1.1` when the file cites an entry of docs/failures.md. */
  catalogueRef?: string;
  tags: string[];
  fidelity: ProviderFidelity[];
  /** The comment block at the top of the file (the author's account of the drill). */
  notes: string[];
  built: BuiltScenario;
}

export interface Catalogue {
  entries: CatalogueEntry[];
  /** Files that are not valid scenarios: listed so that nothing is dropped silently. */
  problems: SourceProblem[];
}

/** `# docs/failures.md 1.1: quota / capacity exhaustion.` */
const CITATION = /^#\s*docs\/failures\.md\s+(\d+(?:\.\d+)*)[^:]*:\s*(.+?)\.?$/;

/**
 * The shipped scenarios plus those of `paths` (files, directories), each file once, checked
 * by the pipeline `validate` runs. The two sets are checked apart, so a copy of a shipped
 * scenario under the same name is listed rather than refused as a duplicate.
 */
export async function loadCatalogue(
  paths: readonly string[],
  cwd: string,
  o: { shipped?: boolean } = {},
): Promise<Catalogue> {
  const sets = [...(o.shipped === false ? [] : [[BUNDLED_DIR]]), ...(paths.length > 0 ? [[...paths]] : [])];
  const seen = new Set<string>();
  const entries: CatalogueEntry[] = [];
  const problems: SourceProblem[] = [];
  for (const set of sets) {
    const checked = await checkScenarios(set, { cwd });
    problems.push(...checked.problems);
    for (const b of checked.built) {
      const abs = resolve(cwd, b.scenario.file);
      if (seen.has(abs)) continue;
      seen.add(abs);
      entries.push(entry(b, abs, cwd));
    }
  }
  return { entries, problems };
}

function entry(b: BuiltScenario, abs: string, cwd: string): CatalogueEntry {
  const s = b.scenario;
  const shipped = abs.startsWith(BUNDLED_DIR + sep);
  const notes = headerComment(abs);
  const cited = notes.map((l) => CITATION.exec(`# ${l}`)).find((m) => m);
  const description = s.metadata.description ?? "";
  return {
    name: s.metadata.name,
    file: shown(abs, cwd, shipped),
    origin: shipped ? "shipped" : "yours",
    description,
    failure: cited?.[2] ?? (description || s.metadata.name),
    ...(cited ? { catalogueRef: cited[1]! } : {}),
    tags: s.metadata.tags,
    fidelity: scenarioFidelity(s),
    notes,
    built: b,
  };
}

function shown(abs: string, cwd: string, shipped: boolean): string {
  const rel = relative(cwd, abs);
  if (!rel.startsWith("..") && !rel.startsWith(sep)) return rel;
  return shipped ? `<kubedrill>/scenarios/${relative(BUNDLED_DIR, abs)}` : abs;
}

/** The comment lines at the top of a file, without `#` and the editor's schema line. */
export function headerComment(abs: string): string[] {
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("#")) break;
    if (/^#\s*yaml-language-server:/.test(line)) continue;
    out.push(line.replace(/^#\s?/, ""));
  }
  return out;
}
