/**
 * Kubernetes objects as kubedrill handles them: plain JSON, exactly as the API server
 * sends it (timestamps are strings). Only src/k8s/ talks to @kubernetes/client-node.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [key: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Kubernetes objects are open-ended; analysers read spec/status fields by path.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

/** Which objects: kind is required; name or a label selector narrows it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Only each object's metadata (PartialObjectMetadataList): names of Secrets without their data. */
  metadataOnly?: boolean;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  type: WatchEventType;
  object: KObject;
  /** When kubedrill received it (ms since epoch, from the injected clock). */
  receivedAt: number;
}

export interface ResourceType {
  apiVersion: string;
  kind: string;
}

/** The labels and annotations kubedrill puts on everything it creates. */
/** One thing kubedrill asks the API server to do: a verb on a kind, in a namespace or cluster-wide. */
export interface Access {
  verb: "get" | "list" | "watch" | "create" | "patch" | "update" | "delete";
  apiVersion: string;
  kind: string;
  /** Absent: cluster-wide (every namespace, or a cluster-scoped kind). */
  namespace?: string;
}

export const LABEL_RUN_ID = "kubedrill.io/run-id";
export const LABEL_SCENARIO = "kubedrill.io/scenario";
export const LABEL_MANAGED = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "kubedrill";
/** On cluster-scoped objects kubedrill changed: the JSON of what it was before. */
export const ANNOTATION_ORIGINAL = "kubedrill.io/original";

/** A resource type the view must list and watch; namespace omitted: cluster-wide. */
export interface Need extends ResourceType {
  namespace?: string;
  /** A list that cannot be read (CRD missing, RBAC) leaves the store empty instead of failing. */
  optional?: boolean;
}
