import type { Kube } from "../k8s/kube.ts";
import type { ObjectRef } from "../k8s/types.ts";
import type { Clock } from "../util/clock.ts";

/**
 * Waits until an object is gone: watches it by name first, then checks once with get()
 * (so a deletion between the two cannot be missed), then waits for the DELETED event or
 * the timeout. Resolves whether it is gone.
 */
export async function waitGone(kube: Kube, ref: ObjectRef, clock: Clock, timeoutMs: number): Promise<boolean> {
  let markGone!: () => void;
  const gone = new Promise<boolean>((resolve) => (markGone = () => resolve(true)));
  const watch = await kube.watch(
    { apiVersion: ref.apiVersion, kind: ref.kind },
    { fieldSelector: `metadata.name=${ref.name}`, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    (e) => {
      if (e.type === "DELETED") markGone();
    },
    () => undefined, // the timeout below still ends the wait
  );
  const timer = new AbortController();
  try {
    if (!(await kube.get(ref))) return true;
    if (timeoutMs <= 0) return false;
    const timedOut = clock.sleep(timeoutMs, timer.signal).then(
      () => false,
      () => false,
    );
    return await Promise.race([gone, timedOut]);
  } finally {
    timer.abort();
    watch.stop();
  }
}
