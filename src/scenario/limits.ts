import type { SourceProblem } from "../errors.ts";

/**
 * Bounds on what a scenario file may be, so that hostile or broken input is refused
 * quickly, with a located message, instead of exhausting memory, the stack or the clock.
 * Real scenarios are a few KiB, nest about ten levels and use no aliases at all.
 */
export const LIMITS = {
  /** Size of one scenario (or manifest) file. */
  bytes: 1024 * 1024,
  /** Nesting of maps and lists, block or flow. */
  depth: 64,
  /** Alias nodes (`*name`) in one document. */
  aliases: 100,
  /** Problems reported per file; the rest are counted. */
  problems: 50,
} as const;

/** Tags a scenario may spell out; anything else (`!Ref`, `!!binary`, ...) is refused. */
export const PLAIN_TAGS = new Set([
  "tag:yaml.org,2002:str",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null",
  "tag:yaml.org,2002:map",
  "tag:yaml.org,2002:seq",
]);

type At = (offset: number) => { line: number; column: number };

const problemAt = (file: string, pos: { line: number; column: number }, message: string): SourceProblem => ({
  file,
  ...pos,
  field: "",
  message,
});

/**
 * Decodes a file's bytes as UTF-8 (a leading byte-order mark is dropped). Invalid UTF-8
 * is a problem located at the first bad byte, not a silent replacement character.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string } | { problem: SourceProblem } {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const bad = firstInvalidUtf8(body);
  const text = new TextDecoder("utf-8").decode(bad === -1 ? body : body.subarray(0, bad));
  if (bad === -1) return { text };
  const lines = text.split("\n");
  const pos = { line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
  const byte = body[bad]!.toString(16).padStart(2, "0");
  return {
    problem: problemAt(file, pos, `is not valid UTF-8 (byte 0x${byte} at offset ${bad + start}); save it as UTF-8`),
  };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    if (n === 2 && ((c === 0xe0 && b[i + 1]! < 0xa0) || (c === 0xed && b[i + 1]! > 0x9f))) return i;
    if (n === 3 && ((c === 0xf0 && b[i + 1]! < 0x90) || (c === 0xf4 && b[i + 1]! > 0x8f))) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Checks the raw text before the YAML parser sees it: size, NUL and other control
 * characters YAML forbids, and nesting depth (a cheap scan, so that deep nesting is
 * refused before the parser recurses into it). Returns the problems; none means parse.
 */
export function textProblems(text: string, file: string, at: At): SourceProblem[] {
  const size = Buffer.byteLength(text);
  if (size > LIMITS.bytes)
    return [
      problemAt(
        file,
        { line: 1, column: 1 },
        `is ${size} bytes; a scenario file may be at most ${LIMITS.bytes} bytes (1 MiB)`,
      ),
    ];
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, "0");
    return [problemAt(file, at(control.index), `contains the control character U+${code}, which YAML does not allow`)];
  }
  const deep = tooDeep(text);
  return deep === undefined
    ? []
    : [
        problemAt(
          file,
          at(deep),
          `nests maps and lists more than ${LIMITS.depth} levels deep; a scenario needs far fewer`,
        ),
      ];
}

/**
 * Offset where nesting first exceeds the limit, or undefined. Block nesting is counted by
 * indentation levels, flow nesting by open brackets outside quotes and comments; the two
 * add up, as they do for the parser.
 */
function tooDeep(text: string): number | undefined {
  const indents: number[] = [];
  let offset = 0;
  let flow = 0;
  for (const line of text.split("\n")) {
    const body = line.trimStart();
    const indent = line.length - body.length;
    if (flow === 0 && body !== "" && !body.startsWith("#")) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      // `- - a:` opens a level per dash.
      const dashes = /^(-\s+)+/.exec(body)?.[0].split("-").length ?? 1;
      for (let k = 0; k < dashes; k++) indents.push(indent + k);
    }
    let quote = "";
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) quote = "";
        continue;
      }
      if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "[" || ch === "{") flow++;
      else if ((ch === "]" || ch === "}") && flow > 0) flow--;
      if (flow > 0 && indents.length + flow > LIMITS.depth) return offset + i;
    }
    if (indents.length > LIMITS.depth) return offset + indent;
    offset += line.length + 1;
  }
  return undefined;
}

/** At most LIMITS.problems problems, then one line that counts the rest. */
export function capProblems(problems: SourceProblem[]): SourceProblem[] {
  if (problems.length <= LIMITS.problems) return problems;
  const kept = problems.slice(0, LIMITS.problems);
  const last = kept[kept.length - 1]!;
  const more = problems.length - kept.length;
  return [
    ...kept,
    { ...last, field: "", message: `... and ${more} more problem${more === 1 ? "" : "s"} in this file` },
  ];
}
