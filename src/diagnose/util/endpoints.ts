import type { KObject } from "../../k8s/types.ts";
import type { ClusterSnapshot } from "../types.ts";
import { labelsOf, nameOf } from "./objects.ts";

/** The label an EndpointSlice names its Service with. */
const SERVICE_NAME = "kubernetes.io/service-name";

/** The EndpointSlices of a Service (same namespace, label kubernetes.io/service-name). */
export function slicesOf(snapshot: ClusterSnapshot, svc: KObject): KObject[] {
  const ns = svc.metadata.namespace;
  return snapshot.endpointSlices.filter(
    (s) => s.metadata.namespace === ns && labelsOf(s)[SERVICE_NAME] === nameOf(svc),
  );
}

/** Ready endpoints across slices; `conditions.ready` unset counts as ready, as the API says. */
export function readyEndpoints(slices: KObject[]): number {
  let n = 0;
  for (const s of slices)
    for (const e of (s.endpoints ?? []) as { conditions?: { ready?: boolean } }[])
      if (e.conditions?.ready !== false) n++;
  return n;
}
