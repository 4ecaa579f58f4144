import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { conditionOf, eventMessage, eventsInNamespace, eventText, nameOf, uniq } from "../util/objects.ts";
import { stillShort } from "./quota-exceeded.ts";

/**
 * A controller that cannot create its pods (FailedCreate events, ReplicaFailure
 * condition) because the API server rejects them: the ServiceAccount does not exist, the
 * pod violates the namespace's Pod Security level, its RuntimeClass does not exist, a
 * LimitRange forbids its resources, or a webhook denied it. Quota rejections are
 * QuotaExceeded's. Reported while the controller still lacks replicas.
 */
type Cause = keyof typeof REMEDIES.PodCreateRejected;

const CREATORS = ["ReplicaSet", "StatefulSet", "Job", "DaemonSet", "ReplicationController"];

export function rejectionCause(message: string): { cause: Cause; text: string } | undefined {
  if (/exceeded quota/.test(message)) return undefined;
  let m = /error looking up service account ([^:]+): serviceaccount "([^"]+)" not found/.exec(message);
  if (m) return { cause: "serviceAccount", text: `ServiceAccount ${m[2]} does not exist in ${m[1]?.split("/")[0]}` };
  m = /violates PodSecurity "([^"]+)": (.*)$/.exec(message);
  if (m) return { cause: "podSecurity", text: `the pod violates PodSecurity "${m[1]}": ${m[2]}` };
  m = /RuntimeClass "([^"]+)" not found/.exec(message);
  if (m) return { cause: "runtimeClass", text: `RuntimeClass ${m[1]} does not exist` };
  m = /((?:maximum|minimum) \S+ usage per (?:Container|Pod) is [^,]+, but (?:limit|request) is [^.,]+)/.exec(message);
  if (m) return { cause: "limitRange", text: `a LimitRange forbids it: ${m[1]}` };
  m = /admission webhook "([^"]+)" denied the request:?\s*(.*)$/.exec(message);
  if (m) return { cause: "webhook", text: `admission webhook ${m[1]} denied it${m[2] ? `: ${m[2]}` : ""}` };
  if (/forbidden|is invalid|rejected/.test(message))
    return { cause: "other", text: message.replace(/^Error creating: /, "") };
  return undefined;
}

export const podCreateRejectedAnalyser: Analyser = {
  codes: ["PodCreateRejected"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const byOwner = new Map<string, { kind: string; name: string; ns: string; message: string; evidence: string[] }>();
    const note = (kind: string, name: string, ns: string, message: string, text: string) => {
      const key = `${ns}\u0000${kind}\u0000${name}`;
      const seen = byOwner.get(key);
      if (seen) seen.evidence.push(text);
      else byOwner.set(key, { kind, name, ns, message, evidence: [text] });
    };
    for (const { event, kind, name, namespace } of eventsInNamespace(snapshot, snapshot.namespace, ["FailedCreate"])) {
      if (CREATORS.includes(kind)) note(kind, name, namespace, eventMessage(event), eventText(event));
    }
    for (const o of [...snapshot.replicaSets, ...snapshot.statefulSets]) {
      const c = conditionOf(o, "ReplicaFailure");
      if (c?.status === "True" && c.message)
        note(
          o.kind,
          nameOf(o),
          o.metadata.namespace ?? "",
          c.message,
          `${o.kind} ${nameOf(o)} ReplicaFailure=True ${c.reason ?? ""}: ${c.message}`,
        );
    }
    const findings: Finding[] = [];
    for (const { kind, name, ns, message, evidence } of byOwner.values()) {
      const cause = rejectionCause(message);
      if (!cause || !stillShort(snapshot, kind, name, ns)) continue;
      findings.push({
        code: "PodCreateRejected",
        severity: "critical",
        object: {
          apiVersion: kind === "Job" ? "batch/v1" : kind === "ReplicationController" ? "v1" : "apps/v1",
          kind,
          name,
          namespace: ns,
        },
        message: `${kind} ${ns}/${name} cannot create pods: ${cause.text}`,
        evidence: uniq(evidence).slice(0, 3),
        remedy: REMEDIES.PodCreateRejected[cause.cause],
      });
    }
    return findings;
  },
};
