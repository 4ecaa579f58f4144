import { knownKinds } from "../k8s/kinds.ts";
import type { Kube } from "../k8s/kube.ts";
import { ANNOTATION_ORIGINAL, LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY, type KObject } from "../k8s/types.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import { HEARTBEAT_NAMESPACE, STALE_AFTER_MS } from "./heartbeat.ts";
import { ANNOTATION_MARKED_AT, describeObject, refOf } from "../sdk/objects.ts";

export interface SweepResult {
  deleted: string[];
  restored: string[];
  failed: string[];
}

const SKIP = new Set(["Event", "Lease", "Namespace"]);

/**
 * The start-up sweep (the Ryuk idea, without a sidecar): undoes what runs that died left
 * behind. A run is alive while its heartbeat Lease (heartbeat.ts) was renewed within
 * `staleAfterMs`.
 *
 * 1. List what carries the label kubedrill.io/run-id: namespaces, objects of every known
 *    cluster-scoped kind, and objects of namespaced kinds outside kubedrill namespaces
 *    (pre-existing objects a run changed).
 * 2. THEN list the heartbeat Leases. Order matters: a run writes its Lease before it
 *    labels anything, so anything seen in step 1 belongs to a run whose Lease is visible
 *    in step 2 unless that run has finished (or died).
 * 3. For each object of a dead run: with the annotation kubedrill.io/original, apply that
 *    restore patch (it also removes the marks); otherwise, if kubedrill created it
 *    (managed-by=kubedrill), delete it. An object of a run with no Lease at all (a run
 *    that could not write its Lease may still be alive) is only swept once its mark is
 *    older than `staleAfterMs`: the annotation kubedrill.io/marked-at that record.ts
 *    writes with the mark, or, for objects kubedrill created, metadata.creationTimestamp.
 *    A mark with no time (written by an older kubedrill) or an unreadable time is swept.
 * 4. Delete the stale Leases.
 */
export async function sweepStale(
  kube: Kube,
  log: Logger,
  opts: { clock?: Clock; staleAfterMs?: number } = {},
): Promise<SweepResult> {
  const clock = opts.clock ?? systemClock;
  const staleAfter = opts.staleAfterMs ?? STALE_AFTER_MS;
  const result: SweepResult = { deleted: [], restored: [], failed: [] };
  const selector = { labelSelector: LABEL_RUN_ID };
  const namespaces = (await kube.list({ apiVersion: "v1", kind: "Namespace" }, selector)).items;
  const ours = new Set(namespaces.map((n) => n.metadata.name));
  const found: KObject[] = [...namespaces];
  for (const kind of knownKinds()) {
    if (SKIP.has(kind.kind)) continue;
    try {
      const { items } = await kube.list(kind, selector);
      found.push(...items.filter((o) => !o.metadata.namespace || !ours.has(o.metadata.namespace)));
    } catch (err) {
      log.debug(`sweep: cannot list ${kind.kind}: ${(err as Error).message}`);
    }
  }
  const leases = (
    await kube.list(
      { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
      { namespace: HEARTBEAT_NAMESPACE, labelSelector: `${LABEL_MANAGED}=${MANAGED_BY}` },
    )
  ).items;
  const now = clock.now();
  const beat = new Map<string, number>();
  for (const l of leases) {
    const run = l.metadata.labels?.[LABEL_RUN_ID];
    const t = Date.parse(l.spec?.renewTime ?? l.spec?.acquireTime ?? l.metadata.creationTimestamp ?? "");
    if (run) beat.set(run, Number.isNaN(t) ? 0 : t);
  }
  const stale = (o: KObject) => {
    const run = o.metadata.labels?.[LABEL_RUN_ID] ?? "";
    const last = beat.get(run);
    if (last !== undefined) return now - last > staleAfter;
    const changed = o.metadata.annotations?.[ANNOTATION_ORIGINAL] !== undefined;
    const since = Date.parse(
      (changed ? o.metadata.annotations?.[ANNOTATION_MARKED_AT] : o.metadata.creationTimestamp) ?? "",
    );
    return Number.isNaN(since) || now - since > staleAfter;
  };
  for (const o of found.filter(stale)) {
    const what = `${describeObject(o)} (run ${o.metadata.labels?.[LABEL_RUN_ID]})`;
    try {
      const original = o.metadata.annotations?.[ANNOTATION_ORIGINAL];
      if (original !== undefined) {
        await kube.patch(refOf(o), JSON.parse(original), "merge");
        result.restored.push(what);
      } else if (o.metadata.labels?.[LABEL_MANAGED] === MANAGED_BY) {
        await kube.delete(refOf(o));
        result.deleted.push(what);
      }
    } catch (err) {
      result.failed.push(`${what}: ${(err as Error).message}`);
    }
  }
  for (const l of leases.filter((x) => now - (beat.get(x.metadata.labels?.[LABEL_RUN_ID] ?? "") ?? 0) > staleAfter)) {
    await kube.delete(refOf(l)).catch((err: Error) => result.failed.push(`${describeObject(l)}: ${err.message}`));
  }
  if (result.deleted.length + result.restored.length + result.failed.length > 0) {
    log.info(
      `swept stale runs: deleted ${result.deleted.length}, restored ${result.restored.length}, failed ${result.failed.length}`,
      { ...result },
    );
  }
  return result;
}
