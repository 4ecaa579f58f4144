import type { KObject } from "../../k8s/types.ts";
import { isNodeReady, taintsOf, TAINT_NOT_READY, TAINT_UNREACHABLE, type Taint } from "../../k8s/objects.ts";

export { isNodeReady, taintsOf, TAINT_NOT_READY, TAINT_UNREACHABLE };

/** Node readiness, zones, taints and tolerations. */
const ZONE_LABEL = "topology.kubernetes.io/zone";
const LEGACY_ZONE_LABEL = "failure-domain.beta.kubernetes.io/zone";

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function nodeZone(node: KObject): string | undefined {
  const labels = node.metadata.labels ?? {};
  return labels[ZONE_LABEL] ?? labels[LEGACY_ZONE_LABEL];
}

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

export function tolerationsOf(pod: KObject | undefined): Toleration[] {
  return Array.isArray(pod?.spec?.tolerations) ? (pod.spec.tolerations as Toleration[]) : [];
}

/** NoSchedule/NoExecute taints the pod does not tolerate. */
export function blockingTaints(node: KObject, pod?: KObject): Taint[] {
  const tol = tolerationsOf(pod);
  return taintsOf(node).filter((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(tol, t));
}

/** Ready, not cordoned, and no taint that keeps this pod (or any pod) out. */
export function isSchedulableFor(node: KObject, pod?: KObject): boolean {
  return isNodeReady(node) && node.spec?.unschedulable !== true && blockingTaints(node, pod).length === 0;
}

export function internalIPs(node: KObject): string[] {
  const list = Array.isArray(node.status?.addresses)
    ? (node.status.addresses as { type?: string; address?: string }[])
    : [];
  return list.filter((a) => a.type === "InternalIP" && typeof a.address === "string").map((a) => a.address as string);
}

export function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
}
