import type { Finding, FindingCode } from "../diagnose/types.ts";
import { conditionField, fieldIsSimulated, type FieldPath } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { snapshotNeeds } from "../diagnose/snapshot.ts";
import type { BuildEnv, ClusterView, Detector } from "../sdk/types.ts";
import { findingsOf } from "../probes/no-finding.ts";
import { defineSignal } from "../sdk/plugin.ts";
import { namespaceParam, ref, regex } from "../sdk/schema-parts.ts";

/**
 * finding { code, namespace?, message? (regex) } — seen when the diagnose analysers,
 * run on a snapshot of the watch cache after each change, report a finding of this code
 * (whose message matches). The evidence is the finding's message and its evidence lines,
 * simulated when a model wrote the field of the object the finding is about that it rests
 * on (a node finding: its condition; any other: the object's status).
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
      const text = `${f.code} ${obj}: ${f.message}${evidence}`;
      return { kind: "finding", text, simulated: restsOnModel(ctx.view, f) };
    },
  };
}

/** The condition a node finding reads; other findings read their object's status. */
const NODE_CONDITION: Partial<Record<FindingCode, string>> = {
  NodeNotReady: "Ready",
  NodeDiskPressure: "DiskPressure",
  NodeMemoryPressure: "MemoryPressure",
  NodePIDPressure: "PIDPressure",
};

function restsOnModel(view: ClusterView, f: Finding): boolean {
  const { apiVersion, kind, name, namespace } = f.object;
  const obj = apiVersion ? view.get({ apiVersion, kind }, name, namespace) : undefined;
  if (!obj) return false;
  const condition = kind === "Node" ? NODE_CONDITION[f.code] : undefined;
  const field: FieldPath = condition ? conditionField(condition) : ["status"];
  return fieldIsSimulated(obj, field);
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
