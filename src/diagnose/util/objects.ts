import type { KObject } from "../../k8s/types.ts";
import { conditionOf, eventTime, type Condition } from "../../k8s/objects.ts";

export { conditionOf, type Condition };
import type { ClusterSnapshot, FindingObject } from "../types.ts";

/** Small readers over plain API JSON, shared by the analysers. */

export function objectOf(o: KObject): FindingObject {
  const out: FindingObject = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? "" };
  if (o.metadata.namespace) out.namespace = o.metadata.namespace;
  return out;
}

export function nameOf(o: KObject): string {
  return o.metadata.name ?? "";
}

/** "shop/api-0", or "api-0" for cluster-scoped objects. */
export function qualifiedName(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ""}` : (o.metadata.name ?? "");
}

/** "Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status." */
export function conditionText(c: Condition): string {
  const head = `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ""}`;
  return c.message ? `${head}: ${c.message}` : head;
}

function involved(e: KObject): { kind?: string; name?: string; namespace?: string; uid?: string } {
  const ref = (e.involvedObject ?? e.regarding) as
    { kind?: string; name?: string; namespace?: string; uid?: string } | undefined;
  return ref ?? {};
}

export function eventMessage(e: KObject): string {
  return String(e.message ?? e.note ?? "");
}

function eventReason(e: KObject): string {
  return String(e.reason ?? "");
}

/** "FailedScheduling: 0/6 nodes are available: ..." (the message verbatim). */
export function eventText(e: KObject): string {
  return `${eventReason(e)}: ${eventMessage(e)}`;
}

/** When an event last happened (ms), falling back to when it was created. */
const lastHappened = (e: KObject): number => eventTime(e) ?? (Date.parse(e.metadata.creationTimestamp ?? "") || 0);

const newestFirst = (a: KObject, b: KObject): number => lastHappened(b) - lastHappened(a);

/** Events about one object (core/v1 involvedObject or events.k8s.io/v1 regarding), newest first. */
export function eventsFor(
  snapshot: ClusterSnapshot,
  o: { kind: string; name: string; namespace?: string },
  reasons?: readonly string[],
): KObject[] {
  return snapshot.events
    .filter((e) => {
      const ref = involved(e);
      if (ref.kind !== o.kind || ref.name !== o.name) return false;
      if (o.namespace && (ref.namespace ?? e.metadata.namespace) !== o.namespace) return false;
      return !reasons || reasons.includes(eventReason(e));
    })
    .sort(newestFirst);
}

/** Events with these reasons in a namespace (all namespaces when undefined), newest first. */
export function eventsInNamespace(
  snapshot: ClusterSnapshot,
  namespace: string | undefined,
  reasons: readonly string[],
): { event: KObject; kind: string; name: string; namespace: string }[] {
  return snapshot.events
    .filter(
      (e) =>
        reasons.includes(eventReason(e)) &&
        (namespace === undefined || (involved(e).namespace ?? e.metadata.namespace) === namespace),
    )
    .sort(newestFirst)
    .map((e) => ({
      event: e,
      kind: involved(e).kind ?? "",
      name: involved(e).name ?? "",
      namespace: involved(e).namespace ?? e.metadata.namespace ?? "",
    }));
}

export function uniq(items: readonly string[]): string[] {
  return [...new Set(items.filter((s) => s.length > 0))];
}

export function labelsOf(o: KObject): Record<string, string> {
  return o.metadata.labels ?? {};
}

/** Pods that have not finished (phase not Succeeded/Failed). */
export function isActivePod(p: KObject): boolean {
  const phase = p.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed";
}

/** A pod the scheduler has not placed yet. */
export function isUnscheduledPending(p: KObject): boolean {
  return p.status?.phase === "Pending" && !p.spec?.nodeName && !p.metadata.deletionTimestamp;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Whether a snapshot list was read (an empty list then means "none", not "unknown"). */
export function readable(snapshot: ClusterSnapshot, key: string): boolean {
  return !(snapshot.unreadable ?? []).includes(key);
}
