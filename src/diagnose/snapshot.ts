import type { ClusterSnapshot } from "./types.ts";
import { SNAPSHOT_SOURCES } from "./sources.ts";
import type { KObject, ResourceType } from "../k8s/types.ts";
import type { Need } from "../k8s/types.ts";

const SOURCES = SNAPSHOT_SOURCES;

/** What the view must watch so that snapshot(namespace) is complete (collect-only lists are not watched). */
export function snapshotNeeds(namespace: string | undefined): Need[] {
  return SOURCES.filter((s) => !s.collectOnly).map((s) => ({
    ...s.type,
    ...(s.namespaced && namespace ? { namespace } : {}),
    ...(s.optional ? { optional: true } : {}),
  }));
}

/**
 * Builds a ClusterSnapshot from cached lists; namespaced lists are narrowed to `namespace`.
 * Collect-only lists stay empty and are named in `unreadable`.
 */
export function buildSnapshot(
  list: (t: ResourceType) => KObject[],
  namespace: string | undefined,
  network: ClusterSnapshot["network"],
): ClusterSnapshot {
  const snap = { network: { ...network }, ...(namespace ? { namespace } : {}) } as ClusterSnapshot;
  const unreadable: string[] = [];
  for (const s of SOURCES) {
    if (s.collectOnly) {
      snap[s.key] = [];
      unreadable.push(s.key);
      continue;
    }
    const items = list(s.type);
    snap[s.key] = s.namespaced && namespace ? items.filter((o) => o.metadata.namespace === namespace) : items;
  }
  snap.unreadable = unreadable;
  return snap;
}
