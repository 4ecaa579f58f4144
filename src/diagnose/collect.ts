import { withContext } from "../errors.ts";
import type { Kube } from "../k8s/kube.ts";
import type { KObject, ResourceType } from "../k8s/types.ts";
import { discoverNetwork } from "./network.ts";
import { isMissingOrForbidden } from "./util/api-errors.ts";
import type { ClusterSnapshot } from "./types.ts";
import { SNAPSHOT_SOURCES, type SnapshotListKey } from "./sources.ts";

/**
 * Reads a ClusterSnapshot through the Kube interface: one list per type, in parallel.
 * A list the API refuses with 404 (kind or CRD not installed) or 403 (RBAC) becomes an
 * empty list named in `unreadable`; any other failure is an error naming the type.
 */
const TYPES = SNAPSHOT_SOURCES;

/** Lists a type; undefined when it is missing or forbidden. Metadata-only lists keep nothing but metadata. */
export async function listOrUnreadable(
  kube: Kube,
  type: ResourceType,
  opts: { namespace?: string; metadataOnly?: boolean } = {},
): Promise<KObject[] | undefined> {
  const { namespace, metadataOnly } = opts;
  try {
    const res = await kube.list(type, {
      ...(namespace ? { namespace } : {}),
      ...(metadataOnly ? { metadataOnly: true } : {}),
    });
    return res.items.map((o) =>
      metadataOnly
        ? { apiVersion: type.apiVersion, kind: type.kind, metadata: { ...o.metadata, managedFields: undefined } }
        : { ...o, apiVersion: o.apiVersion ?? type.apiVersion, kind: o.kind ?? type.kind },
    );
  } catch (err) {
    if (isMissingOrForbidden(err)) return undefined;
    throw withContext(`listing ${type.kind} (${type.apiVersion})${namespace ? ` in ${namespace}` : ""}`, err);
  }
}

export async function collectSnapshot(
  kube: Kube,
  opts: { namespace?: string; network?: { serviceCIDR?: string; podCIDR?: string } } = {},
): Promise<ClusterSnapshot> {
  const ns = opts.namespace;
  const [lists, discovered] = await Promise.all([
    Promise.all(
      TYPES.map(
        async (t) =>
          [
            t.key,
            await listOrUnreadable(kube, t.type, {
              ...(t.namespaced && ns ? { namespace: ns } : {}),
              ...(t.metadataOnly ? { metadataOnly: true } : {}),
            }),
          ] as const,
      ),
    ),
    opts.network?.serviceCIDR && opts.network?.podCIDR ? Promise.resolve({}) : discoverNetwork(kube),
  ]);
  const snapshot = Object.fromEntries(lists.map(([k, v]) => [k, v ?? []])) as Record<SnapshotListKey, KObject[]>;
  const unreadable = lists.filter(([, v]) => v === undefined).map(([k]) => k);
  const network = { ...discovered, ...dropUndefined(opts.network ?? {}) };
  return { ...(ns ? { namespace: ns } : {}), ...snapshot, ...(unreadable.length ? { unreadable } : {}), network };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}
