import { KubedrillError } from "../errors.ts";
import type { Kube, WatchHandle } from "../k8s/kube.ts";
import type { KObject, ResourceType, WatchEvent } from "../k8s/types.ts";
import type { ClusterSnapshot } from "../diagnose/types.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import type { ClusterView as ClusterReader, Need, ViewChange } from "../sdk/types.ts";

export type { ViewChange } from "../sdk/types.ts";
import { buildSnapshot } from "../diagnose/snapshot.ts";

type Listener = (change: ViewChange) => void;

interface TypeState {
  resource: ResourceType;
  objects: Map<string, KObject>;
  /** "*" = all namespaces / cluster-wide; otherwise the namespaces watched. */
  scopes: Map<string, WatchHandle>;
}

const typeKey = (t: ResourceType) => `${t.apiVersion}/${t.kind}`;
const objKey = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/**
 * A watch-fed cache ("ClusterView"): for each resource type it lists, then watches from
 * the list's resourceVersion, keeps the objects and tells listeners about every change
 * with the WatchEvent's receivedAt. Probes and detectors read it on each change, so
 * nothing sleeps and re-lists. A watch that fails makes `failed` reject.
 */
export class ClusterView implements ClusterReader, AsyncDisposable {
  readonly #kube: Kube;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #network: ClusterSnapshot["network"];
  readonly #types = new Map<string, TypeState>();
  readonly #listeners = new Set<Listener>();
  #closed = false;
  #fail!: (e: Error) => void;
  /** Rejects with the first watch failure; never resolves. */
  readonly failed: Promise<never>;

  constructor(kube: Kube, opts: { clock: Clock; log: Logger; network?: ClusterSnapshot["network"] }) {
    this.#kube = kube;
    this.#clock = opts.clock;
    this.#log = opts.log;
    this.#network = opts.network ?? {};
    this.failed = new Promise<never>((_, reject) => (this.#fail = reject));
    this.failed.catch(() => undefined); // observed by whoever races it
  }

  /**
   * Lists and watches whatever of `needs` is not yet covered. Once the view is closed
   * (the attempt is cleaning up) it resolves without watching anything: a call still
   * under way when an abort closes the view must not fail after its caller has gone.
   */
  async ensure(needs: readonly Need[]): Promise<void> {
    for (const need of needs) {
      if (this.#closed) return;
      await this.#ensureOne(need);
    }
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async #ensureOne(need: Need): Promise<void> {
    const key = typeKey(need);
    let state = this.#types.get(key);
    if (!state) {
      state = { resource: { apiVersion: need.apiVersion, kind: need.kind }, objects: new Map(), scopes: new Map() };
      this.#types.set(key, state);
    }
    const scope = need.namespace ?? "*";
    if (state.scopes.has("*") || state.scopes.has(scope)) return;
    const namespace = need.namespace;
    let listed: { items: KObject[]; resourceVersion: string };
    try {
      listed = await this.#kube.list(state.resource, namespace ? { namespace } : {});
    } catch (err) {
      if (need.optional) {
        this.#log.debug(`not watching ${need.kind}: ${(err as Error).message}`);
        return;
      }
      throw new KubedrillError(
        `listing ${need.kind}${namespace ? ` in ${namespace}` : ""}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (this.#closed) return;
    if (scope === "*") {
      for (const handle of state.scopes.values()) handle.stop();
      state.scopes.clear();
      state.objects.clear();
    }
    for (const item of listed.items) state.objects.set(objKey(item), item);
    const s = state;
    const handle = await this.#kube.watch(
      state.resource,
      { ...(namespace ? { namespace } : {}), resourceVersion: listed.resourceVersion },
      (e) => this.#onEvent(s, e),
      (err) => this.#onError(s, err),
    );
    if (this.#closed) {
      handle.stop();
      return;
    }
    state.scopes.set(scope, handle);
    this.#emit({ type: "SYNC", resource: state.resource, receivedAt: this.#clock.now() });
  }

  #onEvent(state: TypeState, e: WatchEvent): void {
    if (this.#closed) return;
    // A replay (a watch resumed or re-listed after the API server went away repeats what
    // the cache already holds: the same resourceVersion, or the deletion of an object it
    // does not have) is not a change: nothing is emitted, so no detector takes an old
    // object for a new sighting stamped at the reconnect.
    const cached = state.objects.get(objKey(e.object));
    const rv = e.object.metadata.resourceVersion;
    if (
      e.type === "DELETED"
        ? !cached
        : cached !== undefined && rv !== undefined && cached.metadata.resourceVersion === rv
    )
      return;
    if (e.type === "DELETED") state.objects.delete(objKey(e.object));
    else state.objects.set(objKey(e.object), e.object);
    this.#emit({ type: e.type, resource: state.resource, object: e.object, receivedAt: e.receivedAt });
  }

  #onError(state: TypeState, err: Error): void {
    if (this.#closed) return;
    this.#log.warn(`watch of ${state.resource.kind} failed: ${err.message}`);
    this.#fail(new KubedrillError(`watch of ${state.resource.kind} failed: ${err.message}`, { cause: err }));
  }

  #emit(change: ViewChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        this.#log.warn(`a view listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether this type is being watched (in any scope). */
  watching(type: ResourceType): boolean {
    return (this.#types.get(typeKey(type))?.scopes.size ?? 0) > 0;
  }

  /** Cached objects of a type; `namespace` narrows. */
  list(type: ResourceType, namespace?: string): KObject[] {
    const state = this.#types.get(typeKey(type));
    if (!state) return [];
    const all = [...state.objects.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get(type: ResourceType, name: string, namespace?: string): KObject | undefined {
    return this.#types.get(typeKey(type))?.objects.get(`${namespace ?? ""}/${name}`);
  }

  /** A ClusterSnapshot of what is cached; `namespace` narrows namespaced lists. */
  snapshot(namespace?: string): ClusterSnapshot {
    return buildSnapshot((t) => this.list(t), namespace, this.#network);
  }

  /** Stops every watch; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const state of this.#types.values()) for (const h of state.scopes.values()) h.stop();
    this.#listeners.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
