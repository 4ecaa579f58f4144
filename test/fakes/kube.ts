import { KubedrillError } from "../../src/errors.ts";
import { knownKind } from "../../src/k8s/kinds.ts";
import type { Kube, PatchOptions, PatchType, WatchHandle, WatchOptions } from "../../src/k8s/kube.ts";
import type {
  Access,
  KObject,
  ListOptions,
  ObjectRef,
  ResourceType,
  WatchEvent,
  WatchEventType,
} from "../../src/k8s/types.ts";
import { labelMatcher } from "../../src/sdk/selector.ts";
import { FakeClock, type Clock } from "../../src/util/clock.ts";
import { jsonPatch, mergePatch } from "./patch.ts";

export interface Call {
  method: string;
  args: unknown[];
}

interface FakeWatch {
  type: ResourceType;
  opts: WatchOptions;
  onEvent: (e: WatchEvent) => void;
  onError: (err: Error) => void;
  stopped: boolean;
}

const key = (r: { apiVersion: string; kind: string; namespace?: string | undefined; name?: string | undefined }) =>
  `${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name ?? ""}`;
const refKey = (o: KObject) =>
  key({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });

/**
 * An in-memory Kube. Every call through the Kube interface is recorded in `calls`;
 * mutations emit watch events (ADDED/MODIFIED/DELETED) to matching watches, stamped with
 * the clock's time at the mutation and delivered on a microtask. Tests drive the cluster
 * with put()/remove()/emit() (not recorded), inject failures with failNext() or failAlways(),
 * and move a created object along (e.g. a pod turning Ready) with onCreate.
 */
export class FakeKube implements Kube {
  readonly calls: Call[] = [];
  readonly watches: FakeWatch[] = [];
  /** "stuck": deleting a namespace only marks it (to test leftovers). */
  namespaceDeletion: "immediate" | "stuck" = "immediate";
  readonly #objects = new Map<string, KObject>();
  readonly #history: { rv: number; type: WatchEventType; object: KObject; receivedAt: number }[] = [];
  readonly #failures: { method: string; match: (args: unknown[]) => boolean; error: Error; once: boolean }[] = [];
  /** Kinds discovery does not serve (`apiVersion/Kind`), for hasKind(). */
  readonly missingKinds = new Set<string>();
  /** Access the credentials lack (`verb apiVersion/Kind@namespace`, namespace empty for cluster-wide), for canI(). */
  readonly denied = new Set<string>();
  /** Called with the stored object after each create(). */
  onCreate?: (obj: KObject) => void;
  #rv = 100;
  #uid = 0;

  constructor(readonly clock: Clock = new FakeClock()) {}

  // ---- driving the fake (not recorded) ----

  /** Creates or replaces an object (assigning rv/uid), emitting ADDED or MODIFIED. */
  put(obj: KObject): KObject {
    const o = structuredClone(obj);
    const existing = this.#objects.get(refKey(o));
    o.metadata.uid = existing?.metadata.uid ?? o.metadata.uid ?? `uid-${++this.#uid}`;
    o.metadata.creationTimestamp =
      existing?.metadata.creationTimestamp ?? o.metadata.creationTimestamp ?? new Date(this.clock.now()).toISOString();
    o.metadata.resourceVersion = String(++this.#rv);
    this.#objects.set(refKey(o), o);
    this.#emit(existing ? "MODIFIED" : "ADDED", o);
    return structuredClone(o);
  }

  /** Removes an object, emitting DELETED. */
  remove(ref: ObjectRef): boolean {
    const k = key(ref);
    const existing = this.#objects.get(k);
    if (!existing) return false;
    this.#objects.delete(k);
    this.#rv++;
    this.#emit("DELETED", existing);
    return true;
  }

  object(ref: ObjectRef): KObject | undefined {
    const o = this.#objects.get(key(ref));
    return o && structuredClone(o);
  }

  objects(kind?: string, namespace?: string): KObject[] {
    return [...this.#objects.values()]
      .filter((o) => (!kind || o.kind === kind) && (namespace === undefined || o.metadata.namespace === namespace))
      .map((o) => structuredClone(o));
  }

  /** The next call of `method` (whose args pass `match`) throws `error`. */
  failNext(method: string, error: Error, match: (args: unknown[]) => boolean = () => true): void {
    this.#failures.push({ method, match, error, once: true });
  }

  /** Every call of `method` (whose args pass `match`) throws `error`. */
  failAlways(method: string, error: Error, match: (args: unknown[]) => boolean = () => true): void {
    this.#failures.push({ method, match, error, once: false });
  }

  /**
   * Delivers a watch event straight to the matching live watches, without changing the
   * store (e.g. a late or duplicate delivery); receivedAt defaults to the clock's now.
   */
  emit(type: WatchEventType, object: KObject, receivedAt = this.clock.now()): void {
    for (const w of this.watches)
      if (!w.stopped && matches(object, w.type, w.opts)) this.#deliver(w, type, structuredClone(object), receivedAt);
  }

  /** Sends an error to the live watches of a kind. */
  failWatch(kind: string, error: Error): void {
    for (const w of this.watches) if (!w.stopped && w.type.kind === kind) w.onError(error);
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  liveWatches(kind?: string): FakeWatch[] {
    return this.watches.filter((w) => !w.stopped && (!kind || w.type.kind === kind));
  }

  // ---- Kube ----

  #record(method: string, args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) });
    const i = this.#failures.findIndex((f) => f.method === method && f.match(args));
    if (i < 0) return;
    const failure = this.#failures[i]!;
    if (failure.once) this.#failures.splice(i, 1);
    throw failure.error;
  }

  /**
   * Like server-side apply by a new field manager: the applied fields are set (maps
   * merged, lists replaced) and fields other managers own are kept.
   */
  async apply(obj: KObject): Promise<KObject> {
    this.#record("apply", [obj]);
    const existing = this.#objects.get(refKey(obj));
    return this.put(existing ? (mergePatch(existing, withoutNulls(obj)) as KObject) : obj);
  }

  async create(obj: KObject): Promise<KObject> {
    this.#record("create", [obj]);
    if (this.#objects.has(refKey(obj))) throw new KubedrillError(`${obj.kind} "${obj.metadata.name}" already exists`);
    const created = this.put(obj);
    this.onCreate?.(structuredClone(created));
    return created;
  }

  async get(ref: ObjectRef): Promise<KObject | undefined> {
    this.#record("get", [ref]);
    return this.object(ref);
  }

  async list(type: ResourceType, opts: ListOptions = {}): Promise<{ items: KObject[]; resourceVersion: string }> {
    this.#record("list", [type, opts]);
    const items = [...this.#objects.values()].filter((o) => matches(o, type, opts)).map((o) => structuredClone(o));
    return { items, resourceVersion: String(this.#rv) };
  }

  async patch(ref: ObjectRef, patch: unknown, type: PatchType, opts?: PatchOptions): Promise<KObject> {
    this.#record("patch", [ref, patch, type, opts]);
    const existing = this.#objects.get(key(ref));
    if (!existing) throw new KubedrillError(`${ref.kind} "${ref.name}" not found`);
    const next = (type === "json" ? jsonPatch(existing, patch as never) : mergePatch(existing, patch)) as KObject;
    return this.put(next);
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    this.#record("delete", [ref]);
    const existing = this.#objects.get(key(ref));
    if (!existing) return false;
    if (ref.kind === "Namespace") {
      if (this.namespaceDeletion === "stuck") {
        this.put({
          ...existing,
          metadata: { ...existing.metadata, deletionTimestamp: new Date(this.clock.now()).toISOString() },
        });
        return true;
      }
      for (const o of [...this.#objects.values()])
        if (o.metadata.namespace === ref.name)
          this.remove({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name!, namespace: ref.name });
    }
    return this.remove(ref);
  }

  async watch(
    type: ResourceType,
    opts: WatchOptions,
    onEvent: (e: WatchEvent) => void,
    onError: (err: Error) => void,
  ): Promise<WatchHandle> {
    this.#record("watch", [type, opts]);
    const w: FakeWatch = { type, opts, onEvent, onError, stopped: false };
    this.watches.push(w);
    if (opts.resourceVersion !== undefined) {
      const from = Number(opts.resourceVersion);
      for (const h of this.#history)
        if (h.rv > from && matches(h.object, type, opts)) this.#deliver(w, h.type, h.object, h.receivedAt);
    }
    return { stop: () => void (w.stopped = true) };
  }

  async isNamespaced(type: ResourceType): Promise<boolean> {
    this.#record("isNamespaced", [type]);
    return knownKind(type.kind, type.apiVersion)?.namespaced ?? true;
  }

  async hasKind(type: ResourceType): Promise<boolean> {
    this.#record("hasKind", [type]);
    return !this.missingKinds.has(`${type.apiVersion}/${type.kind}`);
  }

  async canI(a: Access): Promise<{ allowed: boolean; reason?: string }> {
    this.#record("canI", [a]);
    const denied = this.denied.has(`${a.verb} ${a.apiVersion}/${a.kind}@${a.namespace ?? ""}`);
    return denied ? { allowed: false, reason: "no RBAC policy matched" } : { allowed: true };
  }

  async serverVersion(): Promise<string> {
    this.#record("serverVersion", []);
    return "v1.34.0";
  }

  #emit(type: WatchEventType, object: KObject): void {
    const receivedAt = this.clock.now();
    const snapshot = structuredClone(object);
    this.#history.push({ rv: this.#rv, type, object: snapshot, receivedAt });
    for (const w of this.watches)
      if (!w.stopped && matches(snapshot, w.type, w.opts)) this.#deliver(w, type, snapshot, receivedAt);
  }

  #deliver(w: FakeWatch, type: WatchEventType, object: KObject, receivedAt: number): void {
    queueMicrotask(() => {
      if (!w.stopped) w.onEvent({ type, object: structuredClone(object), receivedAt });
    });
  }
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v;
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

function matches(o: KObject, type: ResourceType, opts: ListOptions): boolean {
  if (o.apiVersion !== type.apiVersion || o.kind !== type.kind) return false;
  if (opts.namespace && o.metadata.namespace !== opts.namespace) return false;
  if (opts.labelSelector && !labelMatcher(opts.labelSelector)(o.metadata.labels)) return false;
  if (opts.fieldSelector) {
    for (const part of opts.fieldSelector.split(",")) {
      const [field, value] = part.split("=");
      const actual = field!
        .split(".")
        .reduce<unknown>((at, p) => (at && typeof at === "object" ? (at as Record<string, unknown>)[p] : undefined), o);
      if (actual !== value) return false;
    }
  }
  return true;
}
