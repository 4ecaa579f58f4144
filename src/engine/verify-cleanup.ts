import { ApiError } from "../k8s/rest.ts";
import { LABEL_RUN_ID, LABEL_SCENARIO } from "../k8s/types.ts";
import type { Kube } from "../k8s/kube.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import type { LeftoverScope } from "./context.ts";
import { waitGone } from "./gone.ts";

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
 * labels). Returns what was left behind.
 */
export async function verifyCleanup(kube: Kube, clock: Clock, log: Logger, c: CleanupCheck): Promise<string[]> {
  const leftovers: string[] = [];
  const start = clock.now();
  try {
    const gone = await waitGone(kube, { apiVersion: "v1", kind: "Namespace", name: c.namespace }, clock, c.timeoutMs);
    if (!gone) leftovers.push(`Namespace/${c.namespace} (still there after ${clock.now() - start}ms)`);
  } catch (err) {
    leftovers.push(`Namespace/${c.namespace} (could not check: ${(err as Error).message})`);
  }
  const selector = `${LABEL_RUN_ID}=${c.runId},${LABEL_SCENARIO}=${c.scenarioLabel}`;
  for (const { type, namespace } of c.scopes) {
    try {
      const { items } = await kube.list(type, { labelSelector: selector, ...(namespace ? { namespace } : {}) });
      for (const o of items) {
        const deleting = o.metadata.deletionTimestamp !== undefined;
        if (deleting) {
          const remaining = Math.max(0, c.timeoutMs - (clock.now() - start));
          const ref = {
            apiVersion: o.apiVersion ?? type.apiVersion,
            kind: o.kind ?? type.kind,
            name: o.metadata.name!,
            ...(namespace ? { namespace } : {}),
          };
          if (await waitGone(kube, ref, clock, remaining)) continue;
        }
        leftovers.push(
          `${type.kind}/${namespace ? `${namespace}/` : ""}${o.metadata.name}${deleting ? " (still being deleted)" : ""}`,
        );
      }
    } catch (err) {
      // The type itself is gone (its CRD was removed in cleanup): nothing of it can be left.
      if (err instanceof ApiError && err.statusCode === 404) continue;
      log.warn(`could not check for leftover ${type.kind} objects: ${(err as Error).message}`);
      leftovers.push(`${type.kind} (could not list: ${(err as Error).message})`);
    }
  }
  return leftovers;
}
