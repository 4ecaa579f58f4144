import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY, type KObject } from "../k8s/types.ts";
import type { Kube } from "../k8s/kube.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import { hostname } from "node:os";
import { KubedrillError } from "../errors.ts";

/**
 * A run's liveness, for the start-up sweep of other runs (src/engine/sweep.ts).
 *
 * Each run keeps a coordination.k8s.io/v1 Lease `kubedrill-run-<runId>` in namespace
 * "default" (it always exists), labelled with the run id, holder `<hostname>/<pid>`, and
 * renews spec.renewTime every `intervalMs` (15 s). The Lease is written BEFORE the run
 * creates anything, and deleted AFTER a complete cleanup (kept, to go stale, when cleanup
 * left something behind, so that the next sweep retries it). A run is dead when its
 * holder is a process of this machine that is gone (known at once), or when its Lease was
 * not renewed for `staleAfterMs` (60 s: four renewals missed in a row; a run on another
 * machine whose clock is ahead by more than that looks alive for longer).
 */
export const HEARTBEAT_NAMESPACE = "default";
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const STALE_AFTER_MS = 60_000;

export interface LeaseVerdict {
  alive: boolean;
  why: string;
}

/** Whether the run holding this Lease is alive, judged at `now` (see above). */
export function leaseVerdict(
  lease: KObject,
  now: number,
  o: { staleAfterMs?: number; pidAlive?: (pid: number) => boolean; host?: string } = {},
): LeaseVerdict {
  const holder = String(lease.spec?.holderIdentity ?? "");
  const [host, pidText] = holder.split("/");
  const pid = Number(pidText);
  if (host === (o.host ?? hostname()) && Number.isInteger(pid) && pid > 0) {
    const alive = (o.pidAlive ?? processAlive)(pid);
    return { alive, why: `process ${pid} on this machine ${alive ? "is running" : "is gone"}` };
  }
  const renewed = Date.parse(
    lease.spec?.renewTime ?? lease.spec?.acquireTime ?? lease.metadata.creationTimestamp ?? "",
  );
  const age = Number.isNaN(renewed) ? Infinity : now - renewed;
  const alive = age <= (o.staleAfterMs ?? STALE_AFTER_MS);
  return { alive, why: `Lease ${Number.isFinite(age) ? `renewed ${Math.round(age / 1000)}s ago` : "never renewed"}` };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const leaseName = (runId: string) => `kubedrill-run-${runId}`.slice(0, 253);

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");

export interface Heartbeat extends AsyncDisposable {
  /**
   * Stops renewing and deletes the Lease; idempotent. With `keepLease` (cleanup left
   * something behind) the Lease stays, goes stale, and the next sweep retries the repair.
   */
  stop(o?: { keepLease?: boolean }): Promise<void>;
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
    throw new KubedrillError(
      `cannot write the run's heartbeat Lease ${ref.namespace}/${ref.name}, which lets a later run repair what this one leaves if it dies; grant create/update/delete on leases.coordination.k8s.io in "${ref.namespace}" (deploy/rbac/)`,
      { cause: err },
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
  const stop = (so: { keepLease?: boolean } = {}) =>
    (done ??= (async () => {
      stopped.abort();
      await loop;
      if (so.keepLease) {
        o.log.warn(
          `keeping the heartbeat Lease ${ref.name} so that the next run (or kubedrill cleanup) repairs what is left`,
        );
        return;
      }
      await kube.delete(ref).catch((err: Error) => o.log.warn(`deleting the heartbeat Lease failed: ${err.message}`));
    })());
  return { stop, [Symbol.asyncDispose]: stop };
}
