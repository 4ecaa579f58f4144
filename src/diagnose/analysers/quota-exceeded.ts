import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { conditionOf, eventMessage, eventsInNamespace, eventText, nameOf, objectOf, uniq } from "../util/objects.ts";
import { formatFor, tryParseQuantity } from "../util/quantity.ts";

/**
 * A ResourceQuota at its hard limit that is blocking creation: status.used >= status.hard
 * for some resource AND a controller reports FailedCreate "exceeded quota: <name>" (event,
 * or a ReplicaFailure condition) while it still lacks replicas.
 */
const EXCEEDED = /exceeded quota: ([^,]+), requested: (.*?), used: (.*?), limited: (.*)$/;
const CREATORS = ["ReplicaSet", "StatefulSet", "Job", "DaemonSet", "ReplicationController", "Deployment"];

interface QuotaRejection {
  quota: string;
  requested: Record<string, string>;
  used: Record<string, string>;
  limited: Record<string, string>;
}

/** Parses the admission error "exceeded quota: compute, requested: a=1,b=2, used: ..., limited: ...". */
export function parseQuotaRejection(message: string): QuotaRejection | undefined {
  const m = EXCEEDED.exec(message.trim());
  if (!m) return undefined;
  const list = (s: string | undefined): Record<string, string> =>
    Object.fromEntries(
      (s ?? "")
        .split(",")
        .map((kv) => kv.trim().split("="))
        .filter((kv) => kv.length === 2 && kv[0])
        .map(([k, v]) => [k, v]),
    );
  return { quota: (m[1] ?? "").trim(), requested: list(m[2]), used: list(m[3]), limited: list(m[4]) };
}

export function stillShort(snapshot: ClusterSnapshot, kind: string, name: string, namespace: string): boolean {
  const list =
    kind === "ReplicaSet"
      ? snapshot.replicaSets
      : kind === "StatefulSet"
        ? snapshot.statefulSets
        : kind === "Deployment"
          ? snapshot.deployments
          : undefined;
  const owner = list?.find((o) => nameOf(o) === name && o.metadata.namespace === namespace);
  if (!owner) return true; // not in the snapshot: trust the event
  return Number(owner.status?.replicas ?? 0) < Number(owner.spec?.replicas ?? 1);
}

function blockedBy(
  snapshot: ClusterSnapshot,
  quota: KObject,
): { evidence: string[]; owners: string[]; rejection?: QuotaRejection } {
  const ns = quota.metadata.namespace ?? "";
  const evidence: string[] = [];
  const owners: string[] = [];
  let rejection: QuotaRejection | undefined;
  const note = (kind: string, name: string, text: string, message: string) => {
    const r = parseQuotaRejection(message);
    if (!r || r.quota !== nameOf(quota) || !stillShort(snapshot, kind, name, ns)) return;
    evidence.push(text);
    owners.push(`${kind} ${name}`);
    rejection ??= r;
  };
  for (const { event, kind, name } of eventsInNamespace(snapshot, ns, ["FailedCreate"])) {
    if (CREATORS.includes(kind)) note(kind, name, eventText(event), eventMessage(event));
  }
  for (const o of [...snapshot.replicaSets, ...snapshot.statefulSets, ...snapshot.deployments]) {
    if (o.metadata.namespace !== ns) continue;
    const c = conditionOf(o, "ReplicaFailure");
    if (c?.status === "True" && c.message)
      note(o.kind, nameOf(o), `${o.kind} ${nameOf(o)} ReplicaFailure=True ${c.reason ?? ""}: ${c.message}`, c.message);
  }
  return { evidence: uniq(evidence), owners: uniq(owners), rejection };
}

export const quotaExceededAnalyser: Analyser = {
  codes: ["QuotaExceeded"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const quota of snapshot.resourceQuotas) {
      const hard = (quota.status?.hard ?? {}) as Record<string, string>;
      const used = (quota.status?.used ?? {}) as Record<string, string>;
      const exhausted = Object.keys(hard)
        .sort()
        .filter((r) => {
          const h = tryParseQuantity(hard[r]);
          const u = tryParseQuantity(used[r]);
          return h !== undefined && u !== undefined && u >= h;
        });
      if (exhausted.length === 0) continue;
      const blocked = blockedBy(snapshot, quota);
      if (blocked.evidence.length === 0) continue;
      const levels = exhausted.map(
        (r) =>
          `${r} ${formatFor(r, tryParseQuantity(used[r]) ?? 0n)}/${formatFor(r, tryParseQuantity(hard[r]) ?? 0n)} used`,
      );
      const needs = blocked.rejection
        ? Object.entries(blocked.rejection.requested)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")
        : "";
      findings.push({
        code: "QuotaExceeded",
        severity: "critical",
        object: objectOf(quota),
        message: `quota "${nameOf(quota)}" in ${quota.metadata.namespace ?? ""} is exhausted: ${levels.join(", ")}; ${blocked.owners.join(", ")} cannot create pods${needs ? ` (each needs ${needs})` : ""}`,
        evidence: [
          ...exhausted.map((r) => `ResourceQuota ${nameOf(quota)} status: ${r} used=${used[r]} hard=${hard[r]}`),
          ...blocked.evidence,
        ],
        remedy: REMEDIES.QuotaExceeded,
      });
    }
    return findings;
  },
};
