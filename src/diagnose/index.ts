import { withContext } from "../errors.ts";
import type { Analyser, ClusterSnapshot, Finding, FindingObject, Severity } from "./types.ts";
import { affinityUnsatisfiableAnalyser } from "./analysers/affinity-unsatisfiable.ts";
import { crashLoopAnalyser } from "./analysers/crash-loop.ts";
import { imagePullFailureAnalyser } from "./analysers/image-pull-failure.ts";
import { ingressBackendMissingAnalyser } from "./analysers/ingress-backends.ts";
import { ingressConflictAnalyser } from "./analysers/ingress-conflict.ts";
import { insufficientResourcesAnalyser } from "./analysers/insufficient-resources.ts";
import { ipPoolOverlapAnalyser } from "./analysers/ippool-overlap.ts";
import { networkPolicyIsolationAnalyser } from "./analysers/network-policy-isolation.ts";
import { nodeNotReadyAnalyser } from "./analysers/node-not-ready.ts";
import { nodePressureAnalyser } from "./analysers/node-pressure.ts";
import { pvcUnboundAnalyser } from "./analysers/pvc-unbound.ts";
import { quotaExceededAnalyser } from "./analysers/quota-exceeded.ts";
import { serviceNoEndpointsAnalyser } from "./analysers/service-no-endpoints.ts";
import { untoleratedTaintAnalyser } from "./analysers/untolerated-taint.ts";
import { schedulingGatedAnalyser } from "./analysers/scheduling-gated.ts";
import { readinessFailingAnalyser } from "./analysers/readiness-failing.ts";
import { podEvictedAnalyser } from "./analysers/pod-evicted.ts";
import { sandboxFailureAnalyser } from "./analysers/sandbox-failure.ts";
import { containerConfigErrorAnalyser } from "./analysers/container-config-error.ts";
import { containerFailedAnalyser } from "./analysers/container-failed.ts";
import { oomRestartsAnalyser } from "./analysers/oom-restarts.ts";
import { servicePartlyReadyAnalyser } from "./analysers/service-partly-ready.ts";
import { serviceTargetPortAnalyser } from "./analysers/service-target-port.ts";
import { ingressClassAnalyser } from "./analysers/ingress-class.ts";
import { ingressTlsAnalyser } from "./analysers/ingress-tls.ts";
import { pvcLostAnalyser } from "./analysers/pvc-lost.ts";
import { statefulSetServiceAnalyser } from "./analysers/statefulset-service.ts";
import { podCreateRejectedAnalyser } from "./analysers/pod-create-rejected.ts";
import { jobFailedAnalyser } from "./analysers/job-failed.ts";
import { networkPolicyNoMatchAnalyser } from "./analysers/network-policy-no-match.ts";
import { networkPolicyEgressAnalyser } from "./analysers/network-policy-egress.ts";
import { nodeProblemAnalyser } from "./analysers/node-problem.ts";
import { podOnLostNodeAnalyser } from "./analysers/pod-on-lost-node.ts";
import { clusterDNSAnalyser } from "./analysers/cluster-dns.ts";

/** Every analyser; together they cover every FindingCode. */
export const analysers: Analyser[] = [
  insufficientResourcesAnalyser,
  quotaExceededAnalyser,
  affinityUnsatisfiableAnalyser,
  nodeNotReadyAnalyser,
  pvcUnboundAnalyser,
  ipPoolOverlapAnalyser,
  ingressConflictAnalyser,
  ingressBackendMissingAnalyser,
  nodePressureAnalyser,
  serviceNoEndpointsAnalyser,
  networkPolicyIsolationAnalyser,
  imagePullFailureAnalyser,
  crashLoopAnalyser,
  untoleratedTaintAnalyser,
  schedulingGatedAnalyser,
  readinessFailingAnalyser,
  podEvictedAnalyser,
  sandboxFailureAnalyser,
  containerConfigErrorAnalyser,
  containerFailedAnalyser,
  oomRestartsAnalyser,
  servicePartlyReadyAnalyser,
  serviceTargetPortAnalyser,
  ingressClassAnalyser,
  ingressTlsAnalyser,
  pvcLostAnalyser,
  statefulSetServiceAnalyser,
  podCreateRejectedAnalyser,
  jobFailedAnalyser,
  networkPolicyNoMatchAnalyser,
  networkPolicyEgressAnalyser,
  nodeProblemAnalyser,
  podOnLostNodeAnalyser,
  clusterDNSAnalyser,
];

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

function objectKey(o: FindingObject): string {
  return `${o.namespace ?? ""}\u0000${o.name}\u0000${o.kind}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    a.code.localeCompare(b.code) ||
    objectKey(a.object).localeCompare(objectKey(b.object)) ||
    a.message.localeCompare(b.message)
  );
}

/**
 * Runs every analyser over the snapshot; findings sorted by severity, code, then object.
 * Without onError, an analyser that throws stops the run (rethrown with the codes it covers
 * as context); with onError, the error is handed to it and the other analysers still run.
 */
export function analyseAll(snapshot: ClusterSnapshot, onError?: (err: Error, analyser: Analyser) => void): Finding[] {
  const out: Finding[] = [];
  for (const a of analysers) {
    try {
      out.push(...a.analyse(snapshot));
    } catch (err) {
      const wrapped = withContext(`analyser for ${a.codes.join(", ")}`, err);
      if (!onError) throw wrapped;
      onError(wrapped, a);
    }
  }
  return out.sort(compareFindings);
}

export { collectSnapshot } from "./collect.ts";
export { formatFindingsText, countBySeverity } from "./format.ts";
export type { Analyser, ClusterSnapshot, Finding, FindingCode, FindingObject, Severity } from "./types.ts";
