import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from "yaml";
import type { Document, Node } from "yaml";
import type { SourceProblem } from "../errors.ts";
import { LIMITS, PLAIN_TAGS, textProblems } from "./limits.ts";

/** A path into a parsed document: map keys and list indexes. */
export type Seg = string | number;

interface Position {
  line: number;
  column: number;
}

/** `["spec", "fault", 0, "scale"]` -> `spec.fault[0].scale`. */
export function fieldOf(path: readonly Seg[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Finds where a value is written: the 1-based line and column of the node at a path
 * (or of its key when the value is empty, or of the deepest ancestor that exists).
 */
export class Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed | undefined,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`. */
  at(path: readonly Seg[]): Position {
    const { node, key } = this.#walk(path);
    const empty = !node || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);
    return this.#pos(empty && key ? key : (node ?? key));
  }

  /** Position of the key of the last segment (for a list item, the item itself). */
  keyAt(path: readonly Seg[]): Position {
    const { node, key, complete } = this.#walk(path);
    return this.#pos(complete && key && typeof path[path.length - 1] === "string" ? key : node);
  }

  problem(path: readonly Seg[], message: string, opts: { key?: boolean; field?: readonly Seg[] } = {}): SourceProblem {
    const pos = opts.key ? this.keyAt(path) : this.at(path);
    return { file: this.file, ...pos, field: fieldOf(opts.field ?? path), message };
  }

  #walk(path: readonly Seg[]): { node: Node | null | undefined; key: Node | undefined; complete: boolean } {
    let node = (this.doc?.contents ?? undefined) as Node | null | undefined;
    let key: Node | undefined;
    for (const seg of path) {
      if (node && isAlias(node) && this.doc) node = node.resolve(this.doc) as Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return { node, key, complete: false };
        key = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as Node) : undefined;
        node = pair.value as Node | null;
        if (!node) return { node: key, key, complete: true };
      } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
        node = node.items[seg] as Node;
        key = undefined;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }

  #pos(node: Node | null | undefined): Position {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

export interface ParsedDocument {
  /** The document as plain data; undefined when it had syntax errors. */
  value?: unknown;
  /** True when the document has no content (only comments or nothing). */
  empty: boolean;
  locator: Locator;
  /** Where the document starts. */
  start: Position;
}

/**
 * Parses YAML text into its documents. Syntax errors, duplicate keys and tabs become
 * problems located at the offending character; so do input over the limits of
 * src/scenario/limits.ts (size, control characters, nesting, aliases) and tags other than
 * YAML's plain ones. CR and CRLF line endings are read as LF.
 */
export function parseYaml(source: string, file: string): { documents: ParsedDocument[]; problems: SourceProblem[] } {
  const text = source.includes("\r") ? source.replace(/\r\n?/g, "\n") : source;
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
  const early = textProblems(text, file, at);
  if (early.length > 0) return { documents: [], problems: early };
  const located = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    const all = parseAllDocuments(text, { lineCounter: located, prettyErrors: false, uniqueKeys: true });
    parsed = Array.isArray(all) ? all : [];
  } catch (err) {
    const message = err instanceof RangeError ? `nests too deeply to be read (${err.message})` : String(err);
    return { documents: [], problems: [{ file, line: 1, column: 1, field: "", message: `invalid YAML: ${message}` }] };
  }
  const problems: SourceProblem[] = [];
  const documents: ParsedDocument[] = [];
  for (const doc of parsed) {
    // After the first syntax error the parser's complaints are mostly echoes of it;
    // tabs and duplicate keys are independent mistakes, so all of those are kept.
    const independent = new Set(["TAB_AS_INDENT", "DUPLICATE_KEY"]);
    for (const [i, err] of doc.errors.entries()) {
      if (i > 0 && !independent.has(err.code)) continue;
      problems.push({
        file,
        ...at(err.pos[0]),
        field: "",
        message: yamlMessage(err.code, err.message, text.slice(err.pos[0])),
      });
    }
    const structural = doc.errors.length === 0 ? nodeProblems(doc, file, at) : [];
    problems.push(...structural);
    const start = at(documents.length > 0 ? doc.range[0] : (doc.contents?.range?.[0] ?? doc.range[0]));
    let value: unknown;
    if (doc.errors.length === 0 && structural.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: LIMITS.aliases * 10 }) as unknown;
      } catch (err) {
        const why = (err as Error).message;
        const message = /alias count/i.test(why)
          ? `aliases expand to too many values (more than ${LIMITS.aliases * 10}); write the values out`
          : `invalid YAML: ${why}`;
        problems.push({ file, ...start, field: "", message });
      }
    }
    documents.push({ value, empty: doc.contents === null, locator: new Locator(file, doc, located), start });
  }
  return { documents, problems };
}

/** Aliases without an anchor, too many aliases, and tags other than YAML's plain ones. */
function nodeProblems(doc: Document.Parsed, file: string, at: (offset: number) => Position): SourceProblem[] {
  const problems: SourceProblem[] = [];
  let aliases = 0;
  const add = (node: Node, message: string) => problems.push({ file, ...at(node.range?.[0] ?? 0), field: "", message });
  visit(doc, {
    Alias(_, node) {
      aliases++;
      if (aliases === LIMITS.aliases + 1) add(node, `uses more than ${LIMITS.aliases} aliases; write the values out`);
      else if (node.resolve(doc) === undefined)
        add(node, `alias *${node.source} has no anchor &${node.source} before it`);
      return aliases > LIMITS.aliases ? visit.BREAK : undefined;
    },
    Node(_, node) {
      if (node.tag && !PLAIN_TAGS.has(node.tag))
        add(node, `uses the YAML tag ${node.tag}; scenario files are plain YAML (remove the tag)`);
    },
  });
  return problems;
}

function yamlMessage(code: string, message: string, rest: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return `invalid YAML: duplicate key ${JSON.stringify(/^[^:\n]*/.exec(rest)![0].trim())} (keys in a map must be unique)`;
    case "TAB_AS_INDENT":
      return "invalid YAML: tab character used for indentation (indent with spaces)";
    default:
      return `invalid YAML: ${message}`;
  }
}
