import { readFileSync, statSync } from "node:fs";
import { ValidationError, type SourceProblem } from "../errors.ts";
import { manifestObjects, manifestProblems, parseManifest, type ParsedManifest } from "../scenario/manifests.ts";
import type { Manifest } from "../sdk/manifests.ts";
import { decodeUtf8 } from "../scenario/limits.ts";

/** A file as read once: its text, or why it could not be read. */
export type FileText =
  | { text: string }
  | { missing: true }
  | { notFile: true }
  | { unreadable: string }
  /** Read, but not text kubedrill accepts (not UTF-8): the problem, located in the file. */
  | { invalid: SourceProblem };

/**
 * The files of one run (scenario files and the manifests they apply), each read from
 * disk at most once and each manifest parsed at most once. The pipeline fills it while
 * checking; plug-ins read manifests from it through BuildEnv.manifests, so binding a
 * scenario to its namespace later reads nothing again.
 */
export class SourceFiles {
  readonly #texts = new Map<string, FileText>();
  readonly #manifests = new Map<string, ParsedManifest>();
  /** How many times a file was read from disk (for tests and measurements). */
  reads = 0;

  /** The text of an absolute path, read on first use. */
  text(absolute: string): FileText {
    let t = this.#texts.get(absolute);
    if (!t) {
      t = readText(absolute);
      if (!("missing" in t) && !("notFile" in t)) this.reads++;
      this.#texts.set(absolute, t);
    }
    return t;
  }

  /** The parsed manifest at an absolute path (undefined when it cannot be read: see text()). */
  manifest(absolute: string): ParsedManifest | undefined {
    const cached = this.#manifests.get(absolute);
    if (cached) return cached;
    const t = this.text(absolute);
    if (!("text" in t)) return undefined;
    const parsed = parseManifest(t.text, absolute);
    this.#manifests.set(absolute, parsed);
    return parsed;
  }

  /**
   * The objects of the manifest at `absolute`, shown as `shown` (the path as the scenario
   * wrote it) in origins and problems; throws a ValidationError (with `context` in each
   * message) when it cannot be read or is not a valid manifest.
   */
  objects(absolute: string, shown: string, context: string): Manifest[] {
    const t = this.text(absolute);
    const fail = (message: string): never => {
      throw new ValidationError([{ file: shown, line: 1, column: 1, field: "", message: `${message} (${context})` }]);
    };
    if ("missing" in t) fail("manifest file not found");
    if ("notFile" in t) fail("is not a file");
    if ("unreadable" in t) fail(`cannot read manifest file: ${t.unreadable}`);
    if ("invalid" in t) throw new ValidationError([reshown(t.invalid, absolute, shown)]);
    const parsed = this.manifest(absolute)!;
    const problems = manifestProblems(parsed, context).map((p) => reshown(p, absolute, shown));
    if (problems.length > 0) throw new ValidationError(problems);
    return manifestObjects(parsed).map((o) => ({ object: o.object, origin: `${shown}:${o.line}:${o.column}` }));
  }
}

/** Problems of a cached manifest name the file as parsed (absolute); show it as the scenario wrote it. */
export function reshown(p: SourceProblem, absolute: string, shown: string): SourceProblem {
  return p.file === absolute ? { ...p, file: shown } : p;
}

function readText(absolute: string): FileText {
  try {
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) return { missing: true };
    if (!info.isFile()) return { notFile: true };
    const decoded = decodeUtf8(readFileSync(absolute), absolute);
    return "problem" in decoded ? { invalid: decoded.problem } : decoded;
  } catch (err) {
    return { unreadable: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}
