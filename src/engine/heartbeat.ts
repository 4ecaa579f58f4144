import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY } from "../k8s/types.ts";
import type { Kube } from "../k8s/kube.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import { hostname } from "node:os";

/**
 * A run's liveness, for the start-up sweep of other runs (src/engine/sweep.ts).
 *
 * Each run keeps a coordination.k8s.io/v1 Lease `kubedrill-run-<runId>` in namespace
 * "default" (it always exists), labelled with the run id, and renews spec.renewTime every
 * `intervalMs` (1 minute). The Lease is written BEFORE the run creates anything, and
 * deleted AFTER its cleanup. A run whose Lease was not renewed for `staleAfterMs`
 * (10 minutes, so that ten renewals must fail in a row and clocks may be minutes apart)
 * is dead, and what it labelled may be swept.
 */
export const HEARTBEAT_NAMESPACE = "default";
export const HEARTBEAT_INTERVAL_MS = 60_000;
export const STALE_AFTER_MS = 600_000;

export const leaseName = (runId: string) => `kubedrill-run-${runId}`.slice(0, 253);

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");

export interface Heartbeat extends AsyncDisposable {
  /** Stops renewing and deletes the Lease; idempotent. */
  stop(): Promise<void>;
}

export async function startHeartbeat(
  kube: Kube,
  o: { runId: string; clock: Clock; log: Logger; intervalMs?: number; staleAfterMs?: number },
): Promise<Heartbeat> {
  const interval = o.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const ref = {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    name: leaseName(o.runId),
    namespace: HEARTBEAT_NAMESPACE,
  };
  const now = microTime(o.clock.now());
  try {
    await kube.apply({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        labels: { [LABEL_RUN_ID]: o.runId, [LABEL_MANAGED]: MANAGED_BY },
      },
      spec: {
        holderIdentity: `${hostname()}/${process.pid}`,
        leaseDurationSeconds: Math.round((o.staleAfterMs ?? STALE_AFTER_MS) / 1000),
        acquireTime: now,
        renewTime: now,
      },
    });
  } catch (err) {
    o.log.warn(
      `could not write the run's heartbeat Lease ${ref.namespace}/${ref.name} (${(err as Error).message}); another kubedrill starting now may take this run's objects for stale ones once they are older than 10 minutes`,
    );
  }
  const stopped = new AbortController();
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      try {
        await o.clock.sleep(interval, stopped.signal);
        await kube.patch(ref, { spec: { renewTime: microTime(o.clock.now()) } }, "merge");
      } catch (err) {
        if (stopped.signal.aborted) return;
        o.log.warn(`renewing the heartbeat Lease failed: ${(err as Error).message}`);
      }
    }
  })();
  let done: Promise<void> | undefined;
  const stop = () =>
    (done ??= (async () => {
      stopped.abort();
      await loop;
      await kube.delete(ref).catch((err: Error) => o.log.warn(`deleting the heartbeat Lease failed: ${err.message}`));
    })());
  return { stop, [Symbol.asyncDispose]: stop };
}
