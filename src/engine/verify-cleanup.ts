import { ApiError } from "../k8s/rest.ts";
import { LABEL_RUN_ID, LABEL_SCENARIO } from "../k8s/types.ts";
import type { Kube } from "../k8s/kube.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import type { LeftoverScope } from "./context.ts";
import { waitGone } from "./gone.ts";

/** Set on a terminating namespace once its pods are gone, so that its controller looks again. */
export const CONTENTS_GONE_ANNOTATION = "kubedrill.io/pods-gone";
const POD = { apiVersion: "v1", kind: "Pod" };

/**
 * The namespace controller's first pass deletes the pods and, finding them still
 * terminating, looks again only after the longest grace period they have left (30s by
 * default), however soon they are gone. An update of the namespace makes it look again 5s
 * later. So once the namespace has no pod left, it gets CONTENTS_GONE_ANNOTATION. Best
 * effort: a failure only costs the controller's own wait, and is logged at debug level.
 */
async function nudgeWhenPodsGone(kube: Kube, namespace: string, log: Logger): Promise<{ stop(): void }> {
  let done = false;
  let checking = false;
  let again = false;
  const check = async () => {
    if (done) return;
    if (checking) {
      again = true; // a pod went while the last list was on its way: list once more after it
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        const { items } = await kube.list(POD, { namespace });
        if (items.length > 0) continue;
        done = true;
        await kube.patch(
          { apiVersion: "v1", kind: "Namespace", name: namespace },
          { metadata: { annotations: { [CONTENTS_GONE_ANNOTATION]: new Date().toISOString() } } },
          "merge",
        );
      } while (again && !done);
    } catch (err) {
      log.debug(`cleanup: could not tell the namespace controller that ${namespace} has no pod left: ${String(err)}`);
    } finally {
      checking = false;
    }
  };
  try {
    const watch = await kube.watch(
      POD,
      { namespace },
      (e) => {
        if (e.type === "DELETED") void check();
      },
      () => undefined,
    );
    await check();
    return { stop: () => watch.stop() };
  } catch (err) {
    log.debug(`cleanup: cannot watch the pods of ${namespace}: ${String(err)}`);
    return { stop: () => undefined };
  }
}

interface CleanupCheck {
  namespace: string;
  runId: string;
  scenarioLabel: string;
  /** Types (cluster-scoped, or in namespaces not the attempt's) it labelled objects of. */
  scopes: LeftoverScope[];
  timeoutMs: number;
}

/**
 * After the stack is unwound: the namespace must be gone (watched, up to the timeout) and
 * no object outside it (cluster-scoped, or in another namespace) may still carry this
 * attempt's labels (created ones deleted, changed ones restored, which removes the
 * labels). Returns what was left behind, the namespace first, then each scope in order.
 * The checks are independent and run side by side: the labelled objects are looked for
 * while the namespace is still terminating, and objects being deleted are waited for together.
 */
export async function verifyCleanup(kube: Kube, clock: Clock, log: Logger, c: CleanupCheck): Promise<string[]> {
  const start = clock.now();
  const namespaceGone = async (): Promise<string[]> => {
    const nudge = await nudgeWhenPodsGone(kube, c.namespace, log);
    try {
      const ref = { apiVersion: "v1", kind: "Namespace", name: c.namespace };
      if (await waitGone(kube, ref, clock, c.timeoutMs)) return [];
      return [`Namespace/${c.namespace} (still there after ${clock.now() - start}ms)`];
    } catch (err) {
      return [`Namespace/${c.namespace} (could not check: ${(err as Error).message})`];
    } finally {
      nudge.stop();
    }
  };
  const selector = `${LABEL_RUN_ID}=${c.runId},${LABEL_SCENARIO}=${c.scenarioLabel}`;
  const labelled = async ({ type, namespace }: LeftoverScope): Promise<string[]> => {
    try {
      const { items } = await kube.list(type, { labelSelector: selector, ...(namespace ? { namespace } : {}) });
      const left = await Promise.all(
        items.map(async (o) => {
          const deleting = o.metadata.deletionTimestamp !== undefined;
          if (deleting) {
            const remaining = Math.max(0, c.timeoutMs - (clock.now() - start));
            const ref = {
              apiVersion: o.apiVersion ?? type.apiVersion,
              kind: o.kind ?? type.kind,
              name: o.metadata.name!,
              ...(namespace ? { namespace } : {}),
            };
            if (await waitGone(kube, ref, clock, remaining)) return [];
          }
          return [
            `${type.kind}/${namespace ? `${namespace}/` : ""}${o.metadata.name}${deleting ? " (still being deleted)" : ""}`,
          ];
        }),
      );
      return left.flat();
    } catch (err) {
      // The type itself is gone (its CRD was removed in cleanup): nothing of it can be left.
      if (err instanceof ApiError && err.statusCode === 404) return [];
      log.warn(`could not check for leftover ${type.kind} objects: ${(err as Error).message}`);
      return [`${type.kind} (could not list: ${(err as Error).message})`];
    }
  };
  return (await Promise.all([namespaceGone(), ...c.scopes.map(labelled)])).flat();
}
