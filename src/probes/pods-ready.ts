import { hasReadyCondition } from "../k8s/objects.ts";
import type { KObject } from "../k8s/types.ts";
import { conditionsOf } from "../sdk/objects.ts";
import { conditionField, fieldIsSimulated } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { labelMatcher } from "../sdk/selector.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { labelSelector, namespaceParam } from "../sdk/schema-parts.ts";

const POD = { apiVersion: "v1", kind: "Pod" } as const;

/** Why a pod is not Ready, from its phase and conditions, verbatim. */
function whyNotReady(pod: KObject): string {
  const bad = conditionsOf(pod).find((c) => c.status !== "True" && (c.reason || c.message));
  const detail = bad
    ? `${String(bad.type)}: ${String(bad.reason ?? "")}${bad.message ? ` ${String(bad.message)}` : ""}`
    : "no Ready condition";
  return `${pod.metadata.name} ${String(pod.status?.phase ?? "Unknown")} (${detail.trim()})`;
}

/**
 * podsReady { selector, namespace?, count? } — with count: at least that many matching
 * pods are Ready; without: at least one matches and all are Ready. Pods being deleted
 * and pods in a terminal phase (Succeeded, Failed — e.g. evicted) are not counted,
 * because their controller has already replaced them.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const selector = p.selector("selector");
  const namespace = p.optStr("namespace") ?? env.namespace;
  const count = p.optNum("count", 0);
  const match = labelMatcher(selector);
  return {
    kinds: [{ ...POD, namespace }],
    describe: () => `${count !== undefined ? `${count} ` : "all "}pods ${selector} Ready in ${namespace}`,
    evaluate(ctx) {
      const pods = ctx.view
        .list(POD, namespace)
        .filter(
          (pod) =>
            match(pod.metadata.labels) &&
            !pod.metadata.deletionTimestamp &&
            !["Succeeded", "Failed"].includes(pod.status?.phase),
        );
      const ready = pods.filter(hasReadyCondition);
      const want = count ?? Math.max(1, pods.length);
      const ok = count !== undefined ? ready.length >= count : pods.length > 0 && ready.length === pods.length;
      const notReady = pods
        .filter((pod) => !hasReadyCondition(pod))
        .slice(0, 3)
        .map(whyNotReady);
      const message = `${ready.length}/${want} pods ${selector} Ready in ${namespace}${notReady.length ? `: ${notReady.join("; ")}` : ""}`;
      // on kwok nodes kwok, not a kubelet, reports pods Ready
      return { ok, message, simulated: pods.some((pod) => fieldIsSimulated(pod, conditionField("Ready"))) };
    },
  };
}

export const podsReadyProbe = defineProbe({
  name: "podsReady",
  description: "Pods matching the selector are Ready.",
  params: {
    required: ["selector"],
    properties: {
      selector: labelSelector("Pods to check."),
      namespace: namespaceParam(),
      count: {
        type: "integer",
        minimum: 0,
        description: "How many must be Ready; default: all matching pods, at least one.",
      },
    },
  },
  create,
});
