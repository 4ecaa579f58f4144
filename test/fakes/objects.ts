import type { KObject } from "../../src/k8s/types.ts";

/** Small builders for the objects tests put into the fake cluster. */
export function configMap(
  name: string,
  namespace: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels }, data };
}

export function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ready: boolean,
  phase = "Running",
): KObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: "app", image: "app:1" }] },
    status: {
      phase,
      conditions: [
        { type: "Ready", status: ready ? "True" : "False", ...(ready ? {} : { reason: "ContainersNotReady" }) },
      ],
    },
  };
}

export function event(
  name: string,
  namespace: string,
  involved: { kind: string; name: string; namespace?: string },
  reason: string,
  message: string,
  type = "Warning",
): KObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace },
    involvedObject: { apiVersion: "v1", ...involved },
    reason,
    message,
    type,
    count: 1,
  };
}

export function node(
  name: string,
  opts: {
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
    conditions?: Record<string, unknown>[];
    ready?: boolean;
    providerID?: string;
  } = {},
): KObject {
  const ready = opts.ready === false ? { status: "False", reason: "KubeletNotReady" } : { status: "True" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...opts.labels } },
    spec: {
      ...(opts.taints ? { taints: opts.taints } : {}),
      ...(opts.providerID ? { providerID: opts.providerID } : {}),
    },
    status: {
      conditions: opts.conditions ?? [
        { type: "Ready", reason: "KubeletReady", message: "kubelet is posting ready status", ...ready },
      ],
    },
  };
}

/** A pod as the kubelet reports it once it runs and its readiness probe passes. */
export function readyPod(pod: KObject): KObject {
  return { ...pod, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } };
}

/**
 * Records `manager` in metadata.managedFields as the writer of `fields` (FieldsV1, as the
 * API server records them: `f:` a field, `k:{...}` a keyed list item), as a real API
 * server does for every write.
 */
export function writtenBy<T extends KObject>(obj: T, manager: string, fields: Record<string, unknown>): T {
  const entry = { manager, operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: fields };
  const managedFields = [...((obj.metadata.managedFields as unknown[] | undefined) ?? []), entry];
  return { ...obj, metadata: { ...obj.metadata, managedFields } };
}

/** The FieldsV1 of a status condition of this type, as its writer owns it. */
export function conditionFields(type: string): Record<string, unknown> {
  const leaves = ["lastHeartbeatTime", "lastTransitionTime", "message", "reason", "status", "type"];
  return {
    "f:status": {
      "f:conditions": {
        [`k:{"type":"${type}"}`]: Object.fromEntries([[".", {}], ...leaves.map((l) => [`f:${l}`, {}])]),
      },
    },
  };
}
