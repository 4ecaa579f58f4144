/**
 * Kubernetes label selector syntax (as `kubectl -l` takes it): comma-separated
 * requirements `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`.
 * Returns why `text` is not a valid selector, or undefined when it is.
 */
export function labelSelectorProblem(text: string): string | undefined {
  if (text.trim() === "") return "is empty (it would match everything)";
  const parts = splitTopLevel(text);
  if (typeof parts === "string") return parts;
  for (const [i, raw] of parts.entries()) {
    const part = raw.trim();
    if (part === "") return `requirement ${i + 1} is empty (stray comma)`;
    const problem = requirementProblem(part);
    if (problem) return `requirement "${part}": ${problem}`;
  }
  return undefined;
}

/** Splits a selector into its requirements (commas outside parentheses), or says why it cannot. */
export function splitTopLevel(text: string): string[] | string {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0 || depth > 1) return "unbalanced parentheses";
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (depth !== 0) return "unbalanced parentheses";
  parts.push(current);
  return parts;
}

const SET = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const BINARY = /^([^=!<>\s]+)\s*(==|!=|=|<|>)\s*(.*)$/;

function requirementProblem(part: string): string | undefined {
  if (part.startsWith("!")) return keyProblem(part.slice(1).trim());
  const set = SET.exec(part);
  if (set) {
    const values = set[3]!.split(",").map((v) => v.trim());
    if (values.length === 1 && values[0] === "") return `the ${set[2]} set is empty`;
    return keyProblem(set[1]!) ?? values.map(valueProblem).find(Boolean);
  }
  const bin = BINARY.exec(part);
  if (bin) {
    const [, key, op, value] = bin as unknown as [string, string, string, string];
    if ((op === "<" || op === ">") && !/^-?\d+$/.test(value.trim()))
      return `${op} needs an integer value, got "${value.trim()}"`;
    return keyProblem(key) ?? valueProblem(value.trim());
  }
  return /\s/.test(part) ? "expected key, key=value, key!=value, key in (...) or key notin (...)" : keyProblem(part);
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (!SUBDOMAIN.test(prefix) || prefix.length > 253))
    return `invalid key prefix "${prefix}" (a DNS subdomain)`;
  if (!NAME.test(name) || name.length > 63)
    return `invalid key "${key}" (letters, digits, '-', '_', '.', at most 63, starting and ending alphanumeric)`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (!NAME.test(value) || value.length > 63)
    return `invalid value "${value}" (letters, digits, '-', '_', '.', at most 63, starting and ending alphanumeric)`;
  return undefined;
}
