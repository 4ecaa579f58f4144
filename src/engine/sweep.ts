import { knownKinds } from "../k8s/kinds.ts";
import type { Kube } from "../k8s/kube.ts";
import { ApiError } from "../k8s/rest.ts";
import { ANNOTATION_ORIGINAL, LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY, type KObject } from "../k8s/types.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import { HEARTBEAT_NAMESPACE, leaseVerdict, type LeaseVerdict } from "./heartbeat.ts";
import { describeObject, refOf } from "../sdk/objects.ts";
import { restorablePart } from "./sweep-restore.ts";

export interface SweepResult {
  deleted: string[];
  restored: string[];
  failed: string[];
  /** Objects carrying kubedrill's labels that the sweep did not touch, and why. */
  ignored: string[];
}

/** Never swept: the Lease and Event bookkeeping, and RBAC (a label must not buy a deletion of permissions). */
const SKIP = new Set(["Event", "Lease", "Namespace", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);

/** The form of the namespaces kubedrill generates (src/util/ids.ts scenarioNamespace). */
const OWN_NAMESPACE = /^kd-[a-z0-9]([a-z0-9-]*[a-z0-9])?-[a-z0-9]{5}$/;

export interface SweepOptions {
  clock?: Clock;
  /** A Lease not renewed for this long belongs to a dead run (default: heartbeat.ts). */
  staleAfterMs?: number;
  /** Only this run (`kubedrill cleanup --run-id`); refused while its process is alive. */
  runId?: string;
  /** Whether a process of this machine is alive (injected by tests). */
  pidAlive?: (pid: number) => boolean;
}

/**
 * The start-up sweep (the Ryuk idea, without a sidecar) and `kubedrill cleanup`: undoes
 * what runs that died left behind. It trusts only what kubedrill itself wrote:
 *
 * 1. List what carries the label kubedrill.io/run-id: namespaces, objects of every known
 *    cluster-scoped kind, and objects of namespaced kinds outside kubedrill namespaces.
 * 2. THEN list the heartbeat Leases (a run writes its Lease before it labels anything,
 *    so anything seen in step 1 belongs to a run whose Lease is visible in step 2 unless
 *    that run has ended). A run is dead when its Lease names a process of this machine
 *    that is gone, or was not renewed within `staleAfterMs` (heartbeat.ts).
 * 3. Only objects of runs whose Lease is there and dead are touched; a run id with no
 *    Lease is somebody else's label, and its objects are reported as ignored. For those:
 *    a Namespace is deleted only if its name has kubedrill's generated form and it is
 *    marked managed-by kubedrill; an object with kubedrill.io/original gets that restore
 *    patch, cut to the fields kubedrill records (sweep-restore.ts); another object marked
 *    managed-by kubedrill is deleted. RBAC kinds are never swept.
 * 4. Delete the dead runs' Leases, unless something of theirs could not be repaired.
 */
export async function sweepStale(kube: Kube, log: Logger, opts: SweepOptions = {}): Promise<SweepResult> {
  const clock = opts.clock ?? systemClock;
  const result: SweepResult = { deleted: [], restored: [], failed: [], ignored: [] };
  const selector = { labelSelector: opts.runId ? `${LABEL_RUN_ID}=${opts.runId}` : LABEL_RUN_ID };
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
  const verdicts = new Map<string, LeaseVerdict & { lease: KObject }>();
  for (const lease of leases) {
    const run = lease.metadata.labels?.[LABEL_RUN_ID];
    if (run && (!opts.runId || run === opts.runId))
      verdicts.set(run, { ...leaseVerdict(lease, clock.now(), opts), lease });
  }
  if (opts.runId && verdicts.get(opts.runId)?.alive)
    throw new Error(`run ${opts.runId} is still alive (${verdicts.get(opts.runId)!.why}); stop it first`);
  const unrepaired = new Set<string>();
  for (const o of found) {
    const run = o.metadata.labels?.[LABEL_RUN_ID] ?? "";
    const what = `${describeObject(o)} (run ${run})`;
    const verdict = verdicts.get(run);
    if (!verdict) {
      result.ignored.push(`${what}: no heartbeat Lease of kubedrill names this run`);
      continue;
    }
    if (verdict.alive) continue;
    try {
      const done = await sweepOne(kube, o);
      if (done.kind === "ignored") {
        result.ignored.push(`${what}: ${done.why}`);
        continue;
      }
      result[done.kind].push(done.note ? `${what}; ${done.note}` : what);
      if (done.note) unrepaired.add(run);
    } catch (err) {
      result.failed.push(`${what}: ${(err as Error).message}`);
      unrepaired.add(run);
    }
  }
  for (const [run, v] of verdicts) {
    if (v.alive || unrepaired.has(run)) continue;
    await kube
      .delete(refOf(v.lease))
      .catch((err: Error) => result.failed.push(`${describeObject(v.lease)}: ${err.message}`));
  }
  const touched = result.deleted.length + result.restored.length + result.failed.length;
  if (touched > 0 || result.ignored.length > 0) {
    log.info(
      `swept dead runs: deleted ${result.deleted.length}, restored ${result.restored.length}, failed ${result.failed.length}, ignored ${result.ignored.length}`,
      { ...result },
    );
  }
  return result;
}

type Done = { kind: "deleted" | "restored"; note?: string } | { kind: "ignored"; why: string };

async function sweepOne(kube: Kube, o: KObject): Promise<Done> {
  const managed = o.metadata.labels?.[LABEL_MANAGED] === MANAGED_BY;
  if (o.kind === "Namespace") {
    if (!managed || !OWN_NAMESPACE.test(o.metadata.name ?? ""))
      return { kind: "ignored", why: "not a namespace kubedrill generates (kd-<scenario>-<id>, managed-by kubedrill)" };
    await kube.delete(refOf(o));
    return { kind: "deleted" };
  }
  const original = o.metadata.annotations?.[ANNOTATION_ORIGINAL];
  if (original !== undefined) {
    const { patch, dropped } = restorablePart(original);
    try {
      await kube.patch(refOf(o), patch, "merge");
    } catch (err) {
      // Deleted since it was listed (a run killed mid-cleanup): nothing is left to put back.
      if (err instanceof ApiError && err.statusCode === 404)
        return { kind: "ignored", why: "gone before it could be restored" };
      throw err;
    }
    const note = dropped.length
      ? `not restored (kubedrill records no such fields): ${dropped.join(", ")}; check them by hand`
      : undefined;
    return { kind: "restored", ...(note ? { note } : {}) };
  }
  if (!managed) return { kind: "ignored", why: "labelled but neither created nor recorded by kubedrill" };
  await kube.delete(refOf(o));
  return { kind: "deleted" };
}
