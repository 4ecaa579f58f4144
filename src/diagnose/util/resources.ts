import type { KObject } from "../../k8s/types.ts";
import { isActivePod } from "./objects.ts";
import { tryParseQuantity } from "./quantity.ts";

/** Resource maths for scheduling: a pod's effective requests and a node's free allocatable. */
export type ResourceMap = Map<string, bigint>;

interface ContainerLike {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  restartPolicy?: string;
}

/** Requests, falling back to limits (the API defaults requests to limits when only limits are set). */
function containerRequests(c: ContainerLike): ResourceMap {
  const out: ResourceMap = new Map();
  const limits = c.resources?.limits ?? {};
  const requests = { ...limits, ...(c.resources?.requests ?? {}) };
  for (const [k, v] of Object.entries(requests)) {
    const q = tryParseQuantity(v);
    if (q !== undefined) out.set(k, q);
  }
  return out;
}

function add(into: ResourceMap, from: ResourceMap): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0n) + v);
}

function maxInto(into: ResourceMap, from: ResourceMap): void {
  for (const [k, v] of from) if (v > (into.get(k) ?? 0n)) into.set(k, v);
}

/**
 * What the scheduler reserves for a pod: the sum of its containers plus restartable
 * (sidecar) init containers, or the largest regular init container if that is more,
 * plus pod overhead.
 */
export function podRequests(pod: KObject): ResourceMap {
  const spec = pod.spec ?? {};
  const total: ResourceMap = new Map();
  for (const c of (spec.containers ?? []) as ContainerLike[]) add(total, containerRequests(c));
  const sidecars: ResourceMap = new Map();
  const inits: ResourceMap = new Map();
  for (const c of (spec.initContainers ?? []) as ContainerLike[]) {
    if (c.restartPolicy === "Always") add(sidecars, containerRequests(c));
    else {
      const each = containerRequests(c);
      add(each, sidecars);
      maxInto(inits, each);
    }
  }
  add(total, sidecars);
  maxInto(total, inits);
  const overhead: ResourceMap = new Map();
  for (const [k, v] of Object.entries((spec.overhead ?? {}) as Record<string, string>)) {
    const q = tryParseQuantity(v);
    if (q !== undefined) overhead.set(k, q);
  }
  add(total, overhead);
  return total;
}

function allocatable(node: KObject): ResourceMap {
  const out: ResourceMap = new Map();
  for (const [k, v] of Object.entries((node.status?.allocatable ?? {}) as Record<string, string>)) {
    const q = tryParseQuantity(v);
    if (q !== undefined) out.set(k, q);
  }
  return out;
}

/** Allocatable minus the requests of every non-terminated pod bound to the node; "pods" counts pods. */
export function freeOnNode(node: KObject, pods: readonly KObject[]): ResourceMap {
  const free = allocatable(node);
  const bound = pods.filter((p) => p.spec?.nodeName === node.metadata.name && isActivePod(p));
  const used: ResourceMap = new Map();
  for (const p of bound) add(used, podRequests(p));
  used.set("pods", BigInt(bound.length) * 1_000_000_000n);
  for (const [k, v] of used) if (free.has(k)) free.set(k, (free.get(k) ?? 0n) - v);
  return free;
}
