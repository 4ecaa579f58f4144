import { Watch, type KubeConfig } from "@kubernetes/client-node";
import type { KObject, ResourceType, WatchEvent, WatchEventType } from "./types.ts";
import type { WatchHandle, WatchOptions } from "./kube.ts";
import type { Clock } from "../util/clock.ts";

interface ResumableWatchDeps {
  kc: KubeConfig;
  clock: Clock;
  /** REST path of the collection. */
  path: string;
  /**
   * Lists the collection: now (no argument: for a start without a resourceVersion and
   * after 410 Gone), or exactly as it was at a resourceVersion (to know what the caller
   * already has when it starts the watch from its own list).
   */
  list: (atResourceVersion?: string) => Promise<{ items: KObject[]; resourceVersion: string }>;
}

const key = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
const MAX_FAILURES = 6;

function isGone(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: number; message?: string } | null;
  return e?.statusCode === 410 || e?.code === 410 || /\b410\b|too old resource version/i.test(e?.message ?? "");
}

/**
 * A watch that survives the server closing the stream (resumes from the last
 * resourceVersion) and 410 Gone (re-lists and emits the difference, deletions included,
 * as events). Transient failures are retried with backoff; only repeated failures reach
 * onError.
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

  // The caller listed at `rv` and holds those objects: remember them (silently) so that a
  // later re-list can tell what was deleted in between.
  if (rv !== undefined) {
    try {
      for (const item of (await deps.list(rv)).items) known.set(key(item), item);
    } catch {
      // too old to list exactly: a later re-list then reports additions, not deletions
    }
  }

  const retry = (err: unknown) => {
    if (stopped) return;
    failures++;
    if (failures > MAX_FAILURES) {
      onError(
        new Error(
          `watch of ${type.kind} failed ${failures} times in a row: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
      return;
    }
    setTimeout(() => void start(), Math.min(5000, 100 * 2 ** failures));
  };

  const start = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (rv === undefined) await relist();
      let gone = false;
      const c = await watch.watch(
        deps.path,
        {
          resourceVersion: rv,
          allowWatchBookmarks: true,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
        },
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
          if (gone || isGone(err)) rv = undefined;
          if (err || gone) retry(err ?? new Error("410 Gone"));
          else void start(); // the server closed the stream normally: resume at once
        },
      );
      controller = c;
      if (stopped) c.abort();
    } catch (err) {
      if (isGone(err)) rv = undefined;
      retry(err);
    }
  };

  await start();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
