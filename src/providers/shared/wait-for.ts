import { TimeoutError } from "../../errors.ts";
import type { Kube, WatchHandle } from "../../k8s/kube.ts";
import type { KObject, ListOptions, ResourceType } from "../../k8s/types.ts";
import { systemClock, type Clock } from "../../util/clock.ts";

interface WaitForOptions {
  /** What is awaited, for the timeout message: `3 nodes Ready`. */
  what: string;
  timeoutMs: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Appended to the timeout message: what is still missing (`NotReady: kd-worker3`). */
  describePending?: (objects: KObject[]) => string;
}

/**
 * Lists objects, then watches them from the list's resourceVersion, calling `evaluate`
 * with the current set after every change; resolves with its first defined answer.
 * `evaluate` may throw to fail the wait (e.g. a pod that can never succeed).
 * Rejects with TimeoutError (naming what, elapsed and limit) at the deadline.
 */
export function waitForObjects<T>(
  kube: Kube,
  type: ResourceType,
  list: ListOptions,
  evaluate: (objects: KObject[]) => T | undefined,
  opts: WaitForOptions,
): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  const objects = new Map<string, KObject>();
  const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let handle: WatchHandle | undefined;
    const timer = new AbortController();
    const onAbort = () => finish(() => reject(opts.signal!.reason));
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      timer.abort();
      handle?.stop();
      opts.signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const check = () => {
      try {
        const answer = evaluate([...objects.values()]);
        if (answer !== undefined) finish(() => resolve(answer));
      } catch (err) {
        finish(() => reject(err));
      }
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    clock.sleep(opts.timeoutMs, timer.signal).then(
      () =>
        finish(() => {
          const elapsed = clock.now() - start;
          const pending = opts.describePending?.([...objects.values()]);
          const message = `${opts.what} not reached after ${elapsed}ms (limit ${opts.timeoutMs}ms)${pending ? `; ${pending}` : ""}`;
          reject(new TimeoutError(message, elapsed, opts.timeoutMs));
        }),
      () => undefined,
    );
    (async () => {
      const listed = await kube.list(type, list);
      for (const o of listed.items) objects.set(keyOf(o), o);
      check();
      if (settled) return;
      const h = await kube.watch(
        type,
        { ...list, resourceVersion: listed.resourceVersion },
        (e) => {
          if (settled) return;
          if (e.type === "DELETED") objects.delete(keyOf(e.object));
          else objects.set(keyOf(e.object), e.object);
          check();
        },
        (err) => finish(() => reject(err)),
      );
      if (settled) h.stop();
      else handle = h;
    })().catch((err: unknown) => finish(() => reject(err)));
  });
}
