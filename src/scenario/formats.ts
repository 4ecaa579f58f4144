import { durationProblem } from "../util/duration.ts";
import { labelSelectorProblem } from "./selector.ts";

/**
 * The string formats schema.json uses beyond JSON Schema's own. Each returns a
 * message completing "<field> ..." when the value is invalid, or undefined.
 */
export const FORMATS: Record<string, (value: string) => string | undefined> = {
  duration: (v) => durationProblem(v),
  regex: (v) => regexProblem(v),
  "label-selector": (v) => {
    const problem = labelSelectorProblem(v);
    return problem ? `invalid label selector ${JSON.stringify(v)}: ${problem}` : undefined;
  },
  "dns1123-label": (v) =>
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63
      ? undefined
      : `must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (got ${JSON.stringify(v)})`,
};

/** Scenario regexes are compiled as `new RegExp(text)`: no flags, unanchored. */
function regexProblem(text: string): string | undefined {
  try {
    new RegExp(text);
    return undefined;
  } catch (err) {
    const why =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(err);
    return `invalid regular expression ${JSON.stringify(text)}: ${why}`;
  }
}
