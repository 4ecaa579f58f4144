import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { readyEndpoints, slicesOf } from "../util/endpoints.ts";
import { labelsOf, objectOf, qualifiedName } from "../util/objects.ts";

/**
 * The cluster's DNS (CoreDNS or kube-dns, label k8s-app=kube-dns in kube-system, as kubeadm,
 * kind and most distributions install it) cannot answer: its Service has no ready endpoint,
 * or its Deployment runs but the Service is gone. Every name lookup from every pod then
 * fails, which shows up far from the cause ("bad address", "could not resolve host"), so
 * the finding names the DNS workload and its replicas. A cluster without such objects (a
 * different DNS add-on) gets no finding: silence is not proof of health.
 */
const DNS_LABEL = "k8s-app";
const DNS_VALUE = "kube-dns";
const SYSTEM_NS = "kube-system";

const isDNS = (o: KObject) => o.metadata.namespace === SYSTEM_NS && labelsOf(o)[DNS_LABEL] === DNS_VALUE;

/** "Deployment kube-system/coredns: 1/2 replicas ready", "... scaled to 0 (2 pods still shutting down)". */
function workloadText(d: KObject): string {
  const want = typeof d.spec?.replicas === "number" ? d.spec.replicas : 1;
  const ready = d.status?.readyReplicas ?? 0;
  if (want === 0)
    return `Deployment ${qualifiedName(d)}: scaled to 0${ready > 0 ? ` (${ready} pod(s) still shutting down)` : ""}`;
  return `Deployment ${qualifiedName(d)}: ${ready}/${want} replicas ready`;
}

export const clusterDNSAnalyser: Analyser = {
  codes: ["ClusterDNSUnavailable"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const services = snapshot.services.filter(isDNS);
    const workloads = snapshot.deployments.filter(isDNS);
    const findings: Finding[] = [];
    for (const svc of services) {
      const slices = slicesOf(snapshot, svc);
      if (readyEndpoints(slices) > 0) continue;
      const behind = workloads.map(workloadText);
      findings.push({
        code: "ClusterDNSUnavailable",
        severity: "critical",
        object: objectOf(svc),
        message: `the cluster DNS Service ${qualifiedName(svc)} has no ready endpoint: name lookups from every pod fail${behind.length ? ` (${behind.join("; ")})` : ""}`,
        evidence: [
          `${slices.length} EndpointSlice(s), 0 ready endpoints`,
          ...behind,
          ...(svc.spec?.clusterIP
            ? [`clusterIP ${String(svc.spec.clusterIP)} (the nameserver in every pod's resolv.conf)`]
            : []),
        ],
        remedy: REMEDIES.ClusterDNSUnavailable.noEndpoints,
      });
    }
    if (services.length === 0 && !snapshot.unreadable?.includes("services"))
      for (const d of workloads)
        findings.push({
          code: "ClusterDNSUnavailable",
          severity: "critical",
          object: objectOf(d),
          message: `the cluster DNS ${workloadText(d)}, has no Service labelled ${DNS_LABEL}=${DNS_VALUE} in ${SYSTEM_NS}: pods send their lookups to an address nothing answers`,
          evidence: [workloadText(d)],
          remedy: REMEDIES.ClusterDNSUnavailable.serviceMissing,
        });
    return findings;
  },
};
