import { fieldIsSimulated, type FieldPath } from "../../sdk/provenance.ts";
import { selectCached, targetNeed, type Target } from "../../sdk/target.ts";
import type { KObject } from "../../k8s/types.ts";
import type { Detector } from "../../sdk/types.ts";

/**
 * A detector that is seen when any object matching `target` passes `check`; the check's
 * text is the evidence, verbatim, simulated when a model wrote `field`, the field it reads. Like every state detector it answers from the cached
 * state alone (the engine decides when to ask, and whether a state present before the
 * fault counts: src/engine/detection.ts).
 */
export function stateSignal<C extends { target: Target }>(
  kind: string,
  c: C,
  describe: string,
  check: (obj: KObject, c: C) => { ok: boolean; text: string },
  field: FieldPath,
): Detector {
  return {
    kinds: [targetNeed(c.target)],
    describe: () => `${kind} ${describe}`,
    match(ctx) {
      for (const obj of selectCached(ctx.view, c.target)) {
        const r = check(obj, c);
        if (r.ok) return { kind, text: r.text, simulated: fieldIsSimulated(obj, field) };
      }
      return undefined;
    },
  };
}
