import type { Finding, FindingCode } from "../diagnose/types.ts";
import { Params } from "../sdk/params.ts";
import { snapshotNeeds } from "../diagnose/snapshot.ts";
import type { BuildEnv, EvalContext, Probe } from "../sdk/types.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { namespaceParam, ref } from "../sdk/schema-parts.ts";

/** Findings of one code on a snapshot of the cache; fails when no analyser was given. */
export function findingsOf(ctx: EvalContext, code: FindingCode, namespace: string | undefined): Finding[] {
  if (!ctx.analyse) throw new Error("no diagnose analysers were given to the runner");
  return ctx.analyse(ctx.view.snapshot(namespace)).filter((f) => f.code === code);
}

/**
 * noFinding { code, namespace? } — the diagnose analysers, run on a snapshot of the
 * watch cache (the scenario's namespace unless another is given), report no finding of
 * this code. Re-evaluated on every watch event.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const code = p.str("code") as FindingCode;
  const namespace = p.optStr("namespace") ?? env.namespace;
  return {
    kinds: snapshotNeeds(namespace),
    describe: () => `no ${code} finding in ${namespace}`,
    evaluate(ctx) {
      const found = findingsOf(ctx, code, namespace);
      if (found.length === 0) return { ok: true, message: `no ${code} finding in ${namespace}`, simulated: false };
      return { ok: false, message: `${found.length} ${code} finding(s): ${found[0]!.message}`, simulated: false };
    },
  };
}

export const noFindingProbe = defineProbe({
  name: "noFinding",
  description: "The diagnose analysers report no finding with this code.",
  params: { required: ["code"], properties: { code: ref("findingCode"), namespace: namespaceParam() } },
  create,
});
