import { hasReadyCondition } from "../../k8s/objects.ts";
import type { Kube } from "../../k8s/kube.ts";
import type { KObject } from "../../k8s/types.ts";
import type { Clock } from "../../util/clock.ts";
import { waitForObjects } from "./wait-for.ts";

const NODE = { apiVersion: "v1", kind: "Node" };

export function nodeCondition(node: KObject, type: string): string | undefined {
  const conditions = (node.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.find((c) => c.type === type)?.status;
}

/**
 * Resolves with the nodes once at least `expected` nodes exist and every one is Ready.
 * The timeout message names the nodes still not Ready.
 */
export function waitForNodesReady(
  kube: Kube,
  opts: { expected?: number; timeoutMs: number; clock?: Clock; signal?: AbortSignal },
): Promise<KObject[]> {
  const expected = Math.max(1, opts.expected ?? 1);
  return waitForObjects(
    kube,
    NODE,
    {},
    (nodes) => (nodes.length >= expected && nodes.every(hasReadyCondition) ? nodes : undefined),
    {
      what: `${expected} node${expected === 1 ? "" : "s"} Ready`,
      timeoutMs: opts.timeoutMs,
      clock: opts.clock,
      signal: opts.signal,
      describePending: (nodes) => {
        const notReady = nodes.filter((n) => !hasReadyCondition(n)).map((n) => n.metadata.name ?? "?");
        return `${nodes.length} of ${expected} nodes registered${notReady.length > 0 ? `, not Ready: ${notReady.join(", ")}` : ""}`;
      },
    },
  );
}
