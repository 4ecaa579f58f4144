import { KubedrillError } from "../errors.ts";

/**
 * Kubernetes label selectors as strings (`app=web,tier!=db,env in (a,b),!legacy,zone`),
 * parsed once and matched against label maps.
 */
type Requirement =
  | { op: "eq" | "ne"; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "absent"; key: string };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const SET = /^([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ = /^([^\s!=,()]+)\s*(==|=|!=)\s*([^\s!=,()]*)$/;
const KEY = /^(!?)\s*([^\s!=,()]+)$/;

/** Splits on commas outside parentheses. */
function split(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export function parseSelector(selector: string): Requirement[] {
  return split(selector).map((part) => {
    let m = SET.exec(part);
    if (m) return { op: m[2] as "in" | "notin", key: m[1]!, values: m[3]!.split(",").map((v) => v.trim()) };
    m = EQ.exec(part);
    if (m) return { op: m[2] === "!=" ? "ne" : "eq", key: m[1]!, value: m[3]! };
    m = KEY.exec(part);
    if (m) return { op: m[1] ? "absent" : "exists", key: m[2]! };
    throw new KubedrillError(`label selector "${selector}": cannot parse "${part}"`);
  });
}

/** Accepts a selector string or a `{ key: value }` map (matchLabels). */
export function selectorText(selector: string | Record<string, unknown>): string {
  if (typeof selector === "string") return selector;
  return Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(",");
}

export function labelMatcher(selector: string): LabelMatcher {
  const reqs = parseSelector(selector);
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case "eq": return has && l[r.key] === r.value;
        case "ne": return !has || l[r.key] !== r.value;
        case "in": return has && r.values.includes(l[r.key]!);
        case "notin": return !has || !r.values.includes(l[r.key]!);
        case "exists": return has;
        case "absent": return !has;
      }
    });
  };
}
