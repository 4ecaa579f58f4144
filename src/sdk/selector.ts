import { KubedrillError } from "../errors.ts";
import { splitTopLevel } from "../scenario/selector.ts";

/**
 * Kubernetes label selectors as strings (`app=web,tier!=db,env in (a,b),!legacy,zone`),
 * parsed once and matched against label maps.
 */
type Requirement =
  | { op: "eq" | "ne"; key: string; value: string }
  | { op: "gt" | "lt"; key: string; value: number }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "absent"; key: string };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const SET = /^([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ = /^([^\s!=,()<>]+)\s*(==|=|!=)\s*([^\s!=,()]*)$/;
const CMP = /^([^\s!=,()<>]+)\s*(<|>)\s*(-?\d+)$/;
const KEY = /^(!?)\s*([^\s!=,()]+)$/;

/** Parses a selector (validated the same way as in scenario files); throws naming the bad part. */
export function parseSelector(selector: string): Requirement[] {
  const parts = splitTopLevel(selector);
  if (typeof parts === "string") throw new KubedrillError(`label selector "${selector}": ${parts}`);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((part) => {
      let m = SET.exec(part);
      if (m) return { op: m[2] as "in" | "notin", key: m[1]!, values: m[3]!.split(",").map((v) => v.trim()) };
      m = EQ.exec(part);
      if (m) return { op: m[2] === "!=" ? "ne" : "eq", key: m[1]!, value: m[3]! };
      m = CMP.exec(part);
      if (m) return { op: m[2] === ">" ? "gt" : "lt", key: m[1]!, value: Number(m[3]) };
      m = KEY.exec(part);
      if (m) return { op: m[1] ? "absent" : "exists", key: m[2]! };
      throw new KubedrillError(`label selector "${selector}": cannot parse "${part}"`);
    });
}

export function labelMatcher(selector: string): LabelMatcher {
  const reqs = parseSelector(selector);
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case "eq":
          return has && l[r.key] === r.value;
        case "ne":
          return !has || l[r.key] !== r.value;
        case "in":
          return has && r.values.includes(l[r.key]!);
        case "notin":
          return !has || !r.values.includes(l[r.key]!);
        case "gt":
          return has && /^-?\d+$/.test(l[r.key]!) && Number(l[r.key]) > r.value;
        case "lt":
          return has && /^-?\d+$/.test(l[r.key]!) && Number(l[r.key]) < r.value;
        case "exists":
          return has;
        case "absent":
          return !has;
      }
    });
  };
}
