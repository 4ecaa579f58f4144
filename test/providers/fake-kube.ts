import type { Kube, WatchHandle, WatchOptions } from "../../src/k8s/kube.ts";
import type { KObject, ListOptions, ObjectRef, ResourceType, WatchEvent } from "../../src/k8s/types.ts";

type Watcher = { type: ResourceType; opts: WatchOptions; onEvent: (e: WatchEvent) => void; stopped: boolean };

/** An in-memory Kube for provider tests: stores objects, records calls, drives watches. */
export class FakeKube implements Kube {
  readonly objects = new Map<string, KObject>();
  readonly calls: { op: string; ref?: string; obj?: KObject; opts?: unknown }[] = [];
  readonly watchers: Watcher[] = [];
  #rv = 1;
  serverVersionError?: Error;
  /** Called after create(); lets a test move the object along (e.g. a pod turning Ready). */
  onCreate?: (obj: KObject) => void;

  static key(o: {
    apiVersion: string;
    kind: string;
    name?: string;
    namespace?: string;
    metadata?: { name?: string; namespace?: string };
  }): string {
    const name = o.metadata?.name ?? o.name;
    const ns = o.metadata?.namespace ?? o.namespace ?? "";
    return `${o.apiVersion}/${o.kind}/${ns}/${name}`;
  }

  addNode(
    name: string,
    opts: { ready?: boolean; providerID?: string; labels?: Record<string, string>; diskPressure?: boolean } = {},
  ): KObject {
    const node: KObject = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name, labels: opts.labels ?? {} },
      spec: opts.providerID ? { providerID: opts.providerID } : {},
      status: {
        conditions: [
          { type: "Ready", status: opts.ready === false ? "False" : "True" },
          { type: "DiskPressure", status: opts.diskPressure ? "True" : "False" },
        ],
      },
    };
    this.upsert(node);
    return node;
  }

  /** Stores an object and tells matching watchers (ADDED or MODIFIED). */
  upsert(obj: KObject): void {
    const key = FakeKube.key(obj);
    const type = this.objects.has(key) ? "MODIFIED" : "ADDED";
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.#rv) } };
    this.objects.set(key, stored);
    this.#notify(type, stored);
  }

  remove(obj: KObject): void {
    const key = FakeKube.key(obj);
    const existing = this.objects.get(key);
    if (!existing) return;
    this.objects.delete(key);
    this.#notify("DELETED", existing);
  }

  #notify(type: WatchEvent["type"], object: KObject): void {
    for (const w of this.watchers) {
      if (
        !w.stopped &&
        w.type.kind === object.kind &&
        w.type.apiVersion === object.apiVersion &&
        matches(object, w.opts)
      ) {
        w.onEvent({ type, object, receivedAt: Date.now() });
      }
    }
  }

  async apply(obj: KObject): Promise<KObject> {
    this.calls.push({ op: "apply", obj });
    this.upsert(obj);
    return this.objects.get(FakeKube.key(obj))!;
  }

  async create(obj: KObject): Promise<KObject> {
    this.calls.push({ op: "create", obj });
    if (this.objects.has(FakeKube.key(obj))) throw new Error(`${obj.kind} "${obj.metadata.name}" already exists`);
    this.upsert(obj);
    this.onCreate?.(obj);
    return obj;
  }

  async get(ref: ObjectRef): Promise<KObject | undefined> {
    this.calls.push({ op: "get", ref: FakeKube.key(ref) });
    return this.objects.get(FakeKube.key(ref));
  }

  async list(type: ResourceType, opts: ListOptions = {}): Promise<{ items: KObject[]; resourceVersion: string }> {
    this.calls.push({ op: "list", ref: `${type.apiVersion}/${type.kind}`, opts });
    const items = [...this.objects.values()].filter(
      (o) => o.kind === type.kind && o.apiVersion === type.apiVersion && matches(o, opts),
    );
    return { items, resourceVersion: String(this.#rv) };
  }

  async patch(ref: ObjectRef): Promise<KObject> {
    this.calls.push({ op: "patch", ref: FakeKube.key(ref) });
    const o = this.objects.get(FakeKube.key(ref));
    if (!o) throw new Error(`not found: ${FakeKube.key(ref)}`);
    return o;
  }

  async delete(ref: ObjectRef, opts?: unknown): Promise<boolean> {
    this.calls.push({ op: "delete", ref: FakeKube.key(ref), opts });
    const existing = this.objects.get(FakeKube.key(ref));
    if (!existing) return false;
    this.remove(existing);
    return true;
  }

  async watch(type: ResourceType, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<WatchHandle> {
    this.calls.push({ op: "watch", ref: `${type.apiVersion}/${type.kind}`, opts });
    const w: Watcher = { type, opts, onEvent, stopped: false };
    this.watchers.push(w);
    return { stop: () => void (w.stopped = true) };
  }

  async isNamespaced(): Promise<boolean> {
    return true;
  }

  async serverVersion(): Promise<string> {
    this.calls.push({ op: "serverVersion" });
    if (this.serverVersionError) throw this.serverVersionError;
    return "v1.35.0";
  }

  activeWatches(): number {
    return this.watchers.filter((w) => !w.stopped).length;
  }

  ofKind(kind: string): KObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }
}

function matches(o: KObject, opts: ListOptions): boolean {
  if (opts.namespace && o.metadata.namespace !== opts.namespace) return false;
  for (const term of (opts.labelSelector ?? "").split(",").filter(Boolean)) {
    const [k, v] = term.split("=");
    if (o.metadata.labels?.[k!] !== v) return false;
  }
  for (const term of (opts.fieldSelector ?? "").split(",").filter(Boolean)) {
    const [path, v] = term.split("=");
    const actual = path!
      .split(".")
      .reduce<unknown>(
        (acc, p) => (acc && typeof acc === "object" ? (acc as Record<string, unknown>)[p] : undefined),
        o,
      );
    if (actual !== v) return false;
  }
  return true;
}

/** Makes a filler pod turn Ready (as if the kubelet ran it and its readiness probe passed). */
export function readyPod(pod: KObject): KObject {
  return { ...pod, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } };
}
