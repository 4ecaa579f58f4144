import type { RemediateSpec } from "../scenario/types.ts";
import type { Step } from "../sdk/types.ts";

export type RemediationMode = "steps" | "external" | "skipped" | "none";

/**
 * The remediate phase. It starts as soon as detection completes, or when the TTD target
 * passes without it (a missed detection does not skip the recovery measurement).
 * - `remediate: false` (--no-remediate): nothing is done; the scenario must then recover
 *   on its own within the RTO target, or fail on it.
 * - `external`: nothing is done by kubedrill; the recover phase waits for the user's own
 *   remediation (an operator, a script, a person) to bring the probes back.
 * - steps: each runs in order (through `runStep`, which registers its handle for cleanup).
 */
export async function remediate(o: {
  spec: RemediateSpec;
  steps: Step[];
  enabled: boolean;
  runStep: (step: Step, index: number) => Promise<void>;
  note: (what: string) => void;
}): Promise<RemediationMode> {
  if (!o.enabled) {
    o.note("remediation skipped (--no-remediate)");
    return "skipped";
  }
  for (const [i, step] of o.steps.entries()) await o.runStep(step, i);
  if (o.spec.external) {
    o.note(`waiting for external remediation: ${o.spec.external.description}`);
    return "external";
  }
  if (o.steps.length === 0) o.note("no remediation steps; waiting for the system to recover by itself");
  return o.steps.length > 0 ? "steps" : "none";
}
