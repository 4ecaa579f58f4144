import type { KObject } from "./types.ts";

/**
 * Readers over plain API JSON that the plug-ins, diagnose and the providers share:
 * conditions, readiness, taints, event times. One definition each, so that "Ready" means
 * the same thing to a probe, an analyser and a wait.
 */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";

/** status.conditions, keeping only entries that are objects. */
export function conditionsOf(obj: KObject): Condition[] {
  const list: unknown = obj.status?.conditions;
  return Array.isArray(list) ? (list.filter((c) => typeof c === "object" && c !== null) as Condition[]) : [];
}

export function conditionOf(obj: KObject, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/** The Ready condition is True (a pod, or a node's kubelet reporting ready). */
export function hasReadyCondition(obj: KObject): boolean {
  return conditionOf(obj, "Ready")?.status === "True";
}

export function taintsOf(node: KObject): Taint[] {
  return Array.isArray(node.spec?.taints) ? (node.spec.taints as Taint[]) : [];
}

/** A node that can run pods: Ready=True and no unreachable/not-ready taint left by the node-lifecycle controller. */
export function isNodeReady(node: KObject): boolean {
  return (
    hasReadyCondition(node) && !taintsOf(node).some((t) => t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY)
  );
}

/**
 * An Event's own time in ms: the newest of series.lastObservedTime, lastTimestamp,
 * eventTime and firstTimestamp (and events.k8s.io/v1's deprecated* names), or undefined
 * when it has none.
 */
export function eventTime(ev: KObject): number | undefined {
  const series = (ev.series ?? {}) as { lastObservedTime?: unknown };
  const times = [
    series.lastObservedTime,
    ev.lastTimestamp,
    ev.eventTime,
    ev.firstTimestamp,
    ev.deprecatedLastTimestamp,
    ev.deprecatedFirstTimestamp,
  ]
    .filter((t): t is string => typeof t === "string" && t !== "")
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : undefined;
}
