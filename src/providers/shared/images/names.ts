/**
 * The registry names kubedrill's images carry, the same on every provider that serves them
 * (local real nodes: host processes; kind: containers on the kind network).
 */

/** The name images of the registry that requires credentials carry (mirrored to it by each node's containerd). */
export const AUTH_REGISTRY_HOST = "registry.kubedrill.local";

/** Fixed, documented drill credentials: the registry is reachable from the cluster's nodes (and this machine) only. */
export const AUTH_REGISTRY_CREDENTIALS = { user: "kubedrill", password: "drill-only" };

/** An image only the registry that requires credentials holds (for scenarios about pull credentials). */
export const PRIVATE_APP_IMAGE = `${AUTH_REGISTRY_HOST}/private/app:v1`;
