/**
 * `kubedrill init NAME`: a scenario file to start from, every section commented. It
 * validates as written and runs on the embedded local cluster: a namespace quota stops a
 * scale-up, the ReplicaSet's FailedCreate event detects it, and a larger quota fixes it.
 */
export function scaffold(name: string, schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# ${name}: say here which failure this drill reproduces and why it matters; cite its
# entry of kubedrill's failure catalogue when there is one (docs/failures.md N.N: title).
# Paths in this file are relative to it. \${namespace} is the namespace kubedrill
# generates for each attempt; \${runId} the id of the run.
# Check it with: kubedrill validate ${name}.yaml; see the plan with: kubedrill run --dry-run ${name}.yaml
apiVersion: kubedrill.io/v1alpha1
kind: Scenario
metadata:
  name: ${name}
  description: A scale-up of web is refused by the namespace quota; a larger quota lets it through.
  # Select scenarios with kubedrill run --tag TAG.
  tags: [example, quota]
spec:
  # What the cluster must offer (nodes; capabilities such as [realDataPlane], skipped where
  # the cluster lacks one: docs/reference.md), and what the steps change outside the
  # scenario's own namespace (validation refuses anything undeclared), e.g. touches: { kinds: [Node] }.
  requires: { nodes: 1 }
  # Time-to-detect and time-to-recover targets, both measured from the end of the fault.
  targets:
    detectWithin: 30s
    recoverWithin: 2m
  # The workload, built in the generated namespace before anything is measured.
  setup:
    steps:
      - apply:
          objects:
            - apiVersion: v1
              kind: ResourceQuota
              metadata: { name: compute }
              spec: { hard: { pods: "3" } }
            - apiVersion: apps/v1
              kind: Deployment
              metadata: { name: web, labels: { app: web } }
              spec:
                replicas: 2
                selector: { matchLabels: { app: web } }
                template:
                  metadata: { labels: { app: web } }
                  spec:
                    containers:
                      - name: web
                        image: nginx:1.27
                        resources: { requests: { cpu: 50m, memory: 64Mi } }
    waitFor:
      - available: { target: { kind: Deployment, name: web } }
    timeout: 2m
  # Probes that must hold before the fault (and, unless recover.probes says otherwise, after it).
  steadyState:
    - podsReady: { selector: app=web, count: 2 }
  # The fault. Every step is reverted when the attempt ends, whatever happens.
  fault:
    - scale: { target: { kind: Deployment, name: web }, replicas: 5 }
  # Signals that come from the cluster (events, conditions, findings), not from kubedrill's own steps.
  detect:
    mode: any # any: the first signal counts; all: every signal must be seen
    signals:
      - event: { involvedKind: ReplicaSet, reason: FailedCreate, message: "exceeded quota: compute" }
  # The fix, as steps kubedrill runs (or remediate.external: { description } for your own).
  remediate:
    steps:
      - apply:
          objects:
            - apiVersion: v1
              kind: ResourceQuota
              metadata: { name: compute }
              spec: { hard: { pods: "10" } }
  # Recovered when these probes hold again (RTO), for holdFor without a break.
  recover:
    probes:
      - podsReady: { selector: app=web, count: 5 }
    holdFor: 2s
`;
}
