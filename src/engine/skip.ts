import { describeNeed } from "../providers/capabilities.ts";
import type { Capabilities } from "../providers/provider.ts";
import type { ScenarioRun } from "../report/types.ts";
import type { Scenario } from "../scenario/types.ts";
import { errorRun } from "./attempt-report.ts";

/** What the skip decision looks at: the provider's name and what the cluster says it has. */
export interface ClusterFacts {
  provider?: string;
  /** Absent: nobody said (a caller's own Kube without a StartedCluster); every capability counts as missing. */
  capabilities?: Capabilities;
}

/**
 * Why an attempt of the scenario is not started on this cluster: the capabilities its
 * spec.requires.capabilities names that the cluster does not have, each with what it means
 * and where it is found (src/providers/capabilities.ts). Undefined when it has them all.
 */
export function skipReason(scenario: Scenario, cluster: ClusterFacts): string | undefined {
  const caps = cluster.capabilities;
  const missing = (scenario.spec.requires.capabilities ?? []).filter((n) => caps?.[n] !== true);
  if (missing.length === 0) return undefined;
  const has = !caps
    ? "did not say what it has"
    : missing.length === 1
      ? "has none"
      : missing.length === 2
        ? "has neither"
        : "has none of them";
  const needs = missing.map(describeNeed);
  const list = needs.length > 1 ? `${needs.slice(0, -1).join(", ")} and ${needs.at(-1)}` : needs[0];
  return `needs ${list}; ${clusterLabel(cluster)} ${has}`;
}

/** `cluster local/kwok`: the provider, and which of its kinds of nodes. */
export function clusterLabel(cluster: ClusterFacts): string {
  const nodes = cluster.capabilities?.nodes;
  return `cluster ${cluster.provider ?? "unknown"}${nodes ? `/${nodes}` : ""}`;
}

/**
 * The ScenarioRun of an attempt that was not started because the cluster lacks what the
 * scenario requires: status "skipped", the reason, no namespace, no timeline or phases
 * (nothing ran), nothing to clean up.
 */
export function skippedRun(
  scenario: Scenario,
  o: { attempt: number; reason: string; at: number; provider?: string },
): ScenarioRun {
  const { attempt, reason, at, provider } = o;
  return {
    ...errorRun(scenario, { attempt, error: reason, startedAt: at, finishedAt: at, ...(provider ? { provider } : {}) }),
    status: "skipped",
    cleanup: { ok: true, leftovers: [] },
  };
}
