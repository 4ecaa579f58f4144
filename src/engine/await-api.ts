import type { Kube } from "../k8s/kube.ts";
import { isTransient } from "../sdk/revertible.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";

/** How long cleanup waits for an API server that went away (restarted, overloaded) to answer again. */
export const API_RETURN_WAIT_MS = 60_000;

/**
 * Resolves once the API server answers, at once when it does. While it fails with a
 * transient error (connection refused or reset, 5xx, 429) it is asked again every second
 * up to `timeoutMs`, so that reverting and deleting after a restart are not all refused
 * in the seconds it takes to come back. Returns false when it never answered.
 */
export async function awaitApiServer(
  kube: Kube,
  o: { clock: Clock; log: Logger; timeoutMs?: number },
): Promise<boolean> {
  const deadline = o.clock.now() + (o.timeoutMs ?? API_RETURN_WAIT_MS);
  let announced = false;
  for (;;) {
    try {
      await kube.serverVersion();
      if (announced) o.log.info("the API server answers again; cleaning up");
      return true;
    } catch (err) {
      if (!isTransient(err) || o.clock.now() >= deadline) return false;
      if (!announced) o.log.warn(`the API server does not answer (${(err as Error).message}); waiting to clean up`);
      announced = true;
      await o.clock.sleep(1_000);
    }
  }
}
