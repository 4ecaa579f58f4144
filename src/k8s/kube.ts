import type { Access, KObject, ListOptions, ObjectRef, ResourceType, WatchEvent } from "./types.ts";

export type PatchType = "merge" | "strategic" | "json";

export interface PatchOptions {
  subresource?: "status" | "scale";
  fieldManager?: string;
}

export interface WatchHandle {
  /** Stops the watch; idempotent. */
  stop(): void;
}

export interface WatchOptions extends ListOptions {
  /**
   * Start after this resourceVersion (from a list). Omitted: as the API server does, the
   * objects that exist now arrive first as ADDED events, then the changes.
   */
  resourceVersion?: string;
}

/**
 * Everything kubedrill does to a cluster goes through this interface. The real one
 * (src/k8s/client.ts) wraps @kubernetes/client-node; tests use fakes.
 *
 * Errors: a missing object on get() returns undefined; every other failure throws a
 * KubedrillError whose message names the object and the API's reason (never a raw body).
 */
export interface Kube {
  /** Server-side apply (field manager "kubedrill", force). Returns the live object. */
  apply(obj: KObject): Promise<KObject>;
  /** Creates (fails if it exists). */
  create(obj: KObject): Promise<KObject>;
  get(ref: ObjectRef): Promise<KObject | undefined>;
  list(type: ResourceType, opts?: ListOptions): Promise<{ items: KObject[]; resourceVersion: string }>;
  /**
   * Patches, as field manager "kubedrill" unless `fieldManager` names another writer (the
   * API server records it in metadata.managedFields as the owner of the fields changed).
   */
  patch(ref: ObjectRef, patch: unknown, type: PatchType, opts?: PatchOptions): Promise<KObject>;
  /** Deletes; resolves false when it was already gone. Background propagation by default. */
  delete(
    ref: ObjectRef,
    opts?: { propagation?: "Background" | "Foreground" | "Orphan"; gracePeriodSeconds?: number },
  ): Promise<boolean>;
  /**
   * Watches a resource type. Events arrive in order; the implementation resumes from
   * the last resourceVersion when the server closes the stream, and re-lists on 410.
   */
  watch(
    type: ResourceType,
    opts: WatchOptions,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<WatchHandle>;
  /** Whether a kind is namespaced (from API discovery). */
  isNamespaced(type: ResourceType): Promise<boolean>;
  /** e.g. "v1.34.4". */
  serverVersion(): Promise<string>;
  /** Whether the API server serves this kind in this apiVersion (discovery; read-only). */
  hasKind(type: ResourceType): Promise<boolean>;
  /**
   * Whether the credentials may do `access` (a SelfSubjectAccessReview; changes nothing).
   * `reason` is the authorizer's, when it gives one.
   */
  canI(access: Access): Promise<{ allowed: boolean; reason?: string }>;
}
