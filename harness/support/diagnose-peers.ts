// Objects for the diagnose integration test: the rest of a healthy app, and the situations
// k8sgpt and Popeye report that the kwok-node local cluster can produce for real.
import type { KObject } from "../../src/k8s/types.ts";
import type { FindingCode } from "../../src/diagnose/types.ts";

export const PEERS_NS = "peers-diag";
export const TAINTED = { key: "drill", value: "kubedrill", effect: "NoSchedule" };

export const PEER_CODES: FindingCode[] = [
  "UntoleratedTaint",
  "SchedulingGated",
  "ServiceTargetPortMismatch",
  "IngressClassMissing",
  "IngressTLSSecretMissing",
  "StatefulSetServiceMissing",
  "PVCUnbound",
  "NetworkPolicyNoMatch",
  "PodCreateRejected",
];

const container = (port = 8080) => ({ name: "app", image: "busybox", ports: [{ name: "http", containerPort: port }] });

function deployment(name: string, ns: string, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container()], ...spec } },
    },
  };
}

export function healthyExtras(ns: string): KObject[] {
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "nginx" },
      spec: { controller: "k8s.io/ingress-nginx" },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: `${ns}-redis-data` },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        storageClassName: "manual",
        hostPath: { path: `/tmp/${ns}-redis-data` },
        claimRef: { name: "data-redis-0", namespace: ns },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "redis", namespace: ns },
      spec: { clusterIP: "None", selector: { app: "redis" }, ports: [{ port: 6379, targetPort: 6379 }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "redis", namespace: ns },
      spec: {
        serviceName: "redis",
        replicas: 1,
        selector: { matchLabels: { app: "redis" } },
        template: {
          metadata: { labels: { app: "redis" } },
          spec: { containers: [{ name: "redis", image: "redis:7.4", ports: [{ containerPort: 6379 }] }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: "manual",
              resources: { requests: { storage: "1Gi" } },
            },
          },
        ],
      },
    },
  ];
}

export function peerSituations(taintedNode: string): KObject[] {
  const ns = PEERS_NS;
  return [
    // A pod that may only go to the tainted node, without a toleration.
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "pinned", namespace: ns, labels: { app: "pinned" } },
      spec: { nodeSelector: { "kubernetes.io/hostname": taintedNode }, containers: [container()] },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "gated", namespace: ns, labels: { app: "gated" } },
      spec: { schedulingGates: [{ name: "example.com/hold" }], containers: [container()] },
    },
    deployment("web", ns),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: ns },
      spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 9999 }] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: ns },
      spec: {
        ingressClassName: "absent",
        tls: [{ hosts: ["web.example.com"], secretName: "absent-tls" }],
        rules: [
          {
            host: "web.example.com",
            http: {
              paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }],
            },
          },
        ],
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "ghost", namespace: ns },
      spec: {
        serviceName: "ghost-headless",
        replicas: 1,
        selector: { matchLabels: { app: "ghost" } },
        template: { metadata: { labels: { app: "ghost" } }, spec: { containers: [container()] } },
      },
    },
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: `${ns}-not-installed` },
      provisioner: "example.com/not-installed",
      volumeBindingMode: "Immediate",
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "scratch", namespace: ns },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: `${ns}-not-installed`,
        resources: { requests: { storage: "1Gi" } },
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "typo", namespace: ns },
      spec: { podSelector: { matchLabels: { app: "webb" } }, policyTypes: ["Ingress"], ingress: [{}] },
    },
    deployment("needs-sa", ns, { serviceAccountName: "ghost-sa" }),
  ];
}
