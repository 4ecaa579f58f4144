/** Remedy texts for Service, Ingress, NetworkPolicy and storage findings (spread into REMEDIES). */
export const NETWORK_REMEDIES = {
  ClusterDNSUnavailable: {
    noEndpoints:
      "bring the cluster DNS back: scale its Deployment up again (kubectl -n kube-system scale deployment coredns --replicas=2) or fix what keeps its pods from becoming Ready (a broken Corefile ConfigMap shows in their logs); run at least two replicas spread over nodes",
    serviceMissing:
      "recreate the kube-dns Service in kube-system with the cluster DNS address (the kubelet's clusterDNS setting) as its clusterIP, selecting the DNS pods",
  },
  IngressBackendMissing:
    "point the Ingress backend at an existing Service and one of its ports (or create the Service)",
  IngressClassMissing: {
    missing:
      "set spec.ingressClassName to an IngressClass that exists (kubectl get ingressclass), or install the ingress controller that provides it",
    none: 'set spec.ingressClassName on the Ingress, or mark one IngressClass as the default (annotation ingressclass.kubernetes.io/is-default-class: "true")',
  },
  IngressTLSSecretMissing:
    "create the TLS Secret (type kubernetes.io/tls, keys tls.crt and tls.key) in the Ingress's namespace, or let cert-manager issue it; until then the controller serves its default certificate",
  ServicePartlyReady:
    "look at the pods that are not Ready (readiness probe, crash, pending) and fix them, or scale the workload down to what can run; until then the Service runs on fewer backends than intended",
  ServiceTargetPortMismatch:
    "make the Service's targetPort match a containerPort of the selected pods (by number, or by a name the containers declare), or add the port to the containers",
  NetworkPolicyNoMatch: {
    pods: "fix the policy's podSelector to the labels of the pods it is meant to protect (kubectl get pods --show-labels), or delete the policy if the workload is gone",
    namespaces:
      "fix the peer's namespaceSelector to labels the source namespaces carry (every namespace has kubernetes.io/metadata.name=<name>), or label the namespaces",
  },
  NetworkPolicyEgressDenied: {
    all: "add egress rules for what the pods must reach, starting with DNS (UDP and TCP 53 to the kube-dns pods in kube-system), then tighten them rule by rule",
    dns: "add an egress rule allowing UDP and TCP port 53 to the cluster DNS (namespaceSelector kubernetes.io/metadata.name=kube-system, podSelector k8s-app=kube-dns)",
  },
  PVCLost:
    "the claim's PersistentVolume is gone: restore the volume from a backup or snapshot and bind a new claim to it, or delete and re-create the claim (its data is lost)",
} as const;
