// The zone-outage benchmark's background workload: `pods` pods in Deployments of up to 100
// replicas, each spread evenly over the zones (topology spread, DoNotSchedule), in a
// namespace of their own. Not labelled as kubedrill's: a run's start-up sweep must leave it.
import type { Kube } from "../../src/k8s/kube.ts";
import type { KObject } from "../../src/k8s/types.ts";

const PER_DEPLOYMENT = 100;

export function workloadObjects(namespace: string, pods: number): KObject[] {
  const count = Math.ceil(pods / PER_DEPLOYMENT);
  const deployments = Array.from({ length: count }, (_, i): KObject => {
    const app = `load-${String(i).padStart(3, "0")}`;
    const replicas = Math.min(PER_DEPLOYMENT, pods - i * PER_DEPLOYMENT);
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: app, namespace },
      spec: {
        replicas,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            terminationGracePeriodSeconds: 1,
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { app } },
              },
            ],
            containers: [
              {
                name: "app",
                image: "registry.k8s.io/pause:3.10",
                resources: { requests: { cpu: "10m", memory: "16Mi" } },
              },
            ],
          },
        },
      },
    };
  });
  return [{ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }, ...deployments];
}

/** Applies the workload and resolves once every pod is Ready; returns how long that took. */
export async function startWorkload(kube: Kube, namespace: string, pods: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (const o of workloadObjects(namespace, pods)) await kube.apply(o);
  for (;;) {
    const { items } = await kube.list({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace });
    const ready = items.reduce((sum, d) => sum + (d.status?.readyReplicas ?? 0), 0);
    if (ready >= pods) return Date.now() - started;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs)
      throw new Error(`${ready}/${pods} workload pods Ready after ${elapsed}ms (limit ${timeoutMs}ms)`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
