import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { KObject, ResourceType, WatchEvent, WatchEventType } from "./types.ts";
import type { WatchHandle, WatchOptions } from "./kube.ts";
import type { Clock } from "../util/clock.ts";

export interface ResumableWatchDeps {
  kc: KubeConfig;
  clock: Clock;
  /** REST path of the collection. */
  path: string;
  /** Lists the collection (for the first start without a resourceVersion, and after 410 Gone). */
  list: () => Promise<{ items: KObject[]; resourceVersion: string }>;
}

const key = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/**
 * A watch that survives the server closing the stream (resumes from the last
 * resourceVersion) and 410 Gone (re-lists and emits the difference as events).
 */
export async function resumableWatch(
  deps: ResumableWatchDeps,
  type: ResourceType,
  opts: WatchOptions,
  onEvent: (e: WatchEvent) => void,
  onError: (err: Error) => void,
): Promise<WatchHandle> {
  const watch = new Watch(deps.kc);
  const known = new Map<string, KObject>();
  let rv = opts.resourceVersion;
  let stopped = false;
  let controller: AbortController | undefined;
  let failures = 0;

  const emit = (type: WatchEventType, object: KObject) => {
    if (type === "DELETED") known.delete(key(object));
    else known.set(key(object), object);
    onEvent({ type, object, receivedAt: deps.clock.now() });
  };

  const relist = async () => {
    const { items, resourceVersion } = await deps.list();
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(key(item));
      const before = known.get(key(item));
      if (!before) emit("ADDED", item);
      else if (before.metadata.resourceVersion !== item.metadata.resourceVersion) emit("MODIFIED", item);
    }
    for (const [k, obj] of [...known]) if (!seen.has(k)) emit("DELETED", obj);
    rv = resourceVersion;
  };

  const start = async (): Promise<void> => {
    if (stopped) return;
    if (rv === undefined) await relist();
    const query: Record<string, string | boolean | undefined> = {
      resourceVersion: rv,
      allowWatchBookmarks: true,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    };
    let gone = false;
    controller = await watch.watch(
      deps.path,
      query,
      (phase: string, obj: KObject & { code?: number }) => {
        if (phase === "BOOKMARK") {
          rv = obj.metadata?.resourceVersion ?? rv;
          return;
        }
        if (phase === "ERROR") {
          if (obj.code === 410) gone = true;
          return;
        }
        failures = 0;
        rv = obj.metadata?.resourceVersion ?? rv;
        emit(phase as WatchEventType, obj);
      },
      (err: unknown) => {
        if (stopped) return;
        if (gone) rv = undefined;
        if (err) failures++;
        if (failures > 5) {
          onError(new Error(`watch of ${type.kind} failed ${failures} times in a row: ${err instanceof Error ? err.message : String(err)}`));
          return;
        }
        const delay = err ? Math.min(2000, 100 * 2 ** failures) : 0;
        setTimeout(() => void start().catch(onError), delay);
      },
    );
  };

  await start();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
