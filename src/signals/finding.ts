import { textIsSimulated } from "../sdk/objects.ts";
import type { FindingCode } from "../diagnose/types.ts";
import { Params } from "../sdk/params.ts";
import { snapshotNeeds } from "../diagnose/snapshot.ts";
import type { BuildEnv, Detector } from "../sdk/types.ts";
import { findingsOf } from "../probes/no-finding.ts";
import { defineSignal } from "../sdk/plugin.ts";
import { namespaceParam, ref, regex } from "../sdk/schema-parts.ts";

/**
 * finding { code, namespace?, message? (regex) } — seen when the diagnose analysers,
 * run on a snapshot of the watch cache after each change, report a finding of this code
 * (whose message matches). The evidence is the finding's message and its evidence lines.
 * A state detector: a finding already reported before the fault must go away and come
 * back to count (src/engine/detection.ts).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const p = new Params(params, env.loc);
  const code = p.str("code") as FindingCode;
  const namespace = p.optStr("namespace") ?? env.namespace;
  const message = p.regex("message");
  return {
    kinds: snapshotNeeds(namespace),
    describe: () => `finding ${code} in ${namespace}${message ? ` /${message.source}/` : ""}`,
    match(ctx) {
      const f = findingsOf(ctx, code, namespace).find((x) => !message || message.test(x.message));
      if (!f) return undefined;
      const obj = `${f.object.kind}/${f.object.name}`;
      const evidence = f.evidence.length ? ` [${f.evidence.join(" | ")}]` : "";
      // a finding built on modelled state (its evidence carries the model's mark) is simulated too
      const text = `${f.code} ${obj}: ${f.message}${evidence}`;
      return { kind: "finding", text, simulated: textIsSimulated(text) };
    },
  };
}

export const findingSignal = defineSignal({
  name: "finding",
  description: "The diagnose analysers report a finding with this code.",
  params: {
    required: ["code"],
    properties: {
      code: ref("findingCode"),
      namespace: namespaceParam(),
      message: regex("The finding message matches this."),
    },
  },
  create,
});
