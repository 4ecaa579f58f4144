/**
 * Parses kube-scheduler's "why not" text, as found in a Pod's PodScheduled condition and
 * in FailedScheduling events:
 *   0/6 nodes are available: 2 Insufficient memory, 6 Insufficient cpu. preemption: 0/6
 *   nodes are available: 6 No preemption victims found for incoming pod.
 * Reasons carry a node count, except pre-filter ones ("pod has unbound immediate
 * PersistentVolumeClaims") which hold for every node.
 */
interface SchedulerReason {
  /** Nodes this reason ruled out; undefined when it applies to all of them. */
  count?: number;
  reason: string;
}

interface Availability {
  available: number;
  total: number;
  reasons: SchedulerReason[];
}

export interface SchedulerMessage extends Availability {
  preemption?: Availability;
}

const HEAD = /(\d+)\/(\d+) nodes are available:\s*/;

function parseAvailability(text: string): { availability: Availability; rest: string } | undefined {
  const m = HEAD.exec(text);
  if (!m) return undefined;
  const body = text.slice(m.index + m[0].length);
  // The reason list ends at the first ". " (or a final "."); taint keys hold dots but no ". ".
  const stop = body.search(/\.(\s|$)/);
  const list = stop >= 0 ? body.slice(0, stop) : body;
  const reasons = list
    .split(/, (?=\d+ )/)
    .map((part) => part.trim().replace(/\.+$/, ""))
    .filter((part) => part.length > 0)
    .map((part): SchedulerReason => {
      const c = /^(\d+) (.+)$/.exec(part);
      return c ? { count: Number(c[1]), reason: c[2] ?? "" } : { reason: part };
    });
  return {
    availability: { available: Number(m[1]), total: Number(m[2]), reasons },
    rest: stop >= 0 ? body.slice(stop + 1) : "",
  };
}

export function parseSchedulerMessage(message: string): SchedulerMessage | undefined {
  const first = parseAvailability(message);
  if (!first) return undefined;
  const out: SchedulerMessage = { ...first.availability };
  const p = /preemption:\s*/.exec(first.rest);
  if (p) {
    const second = parseAvailability(first.rest.slice(p.index + p[0].length));
    if (second) out.preemption = second.availability;
  }
  return out;
}

/** "Insufficient cpu" -> { resource: "cpu", count }; "Too many pods" -> { resource: "pods" }. */
export function insufficientResources(msg: Availability): { resource: string; count?: number }[] {
  const out: { resource: string; count?: number }[] = [];
  for (const r of msg.reasons) {
    const m = /^Insufficient (\S+)$/.exec(r.reason);
    if (m?.[1]) out.push({ resource: m[1], count: r.count });
    else if (r.reason === "Too many pods") out.push({ resource: "pods", count: r.count });
  }
  return out;
}

interface TaintReason {
  /** Undefined in the newer, key-less form "node(s) had untolerated taint(s)". */
  key?: string;
  value?: string;
  count?: number;
}

/** Both forms: "had untolerated taint {k: v}" (1.26+) and "had taint {k: v}, that the pod didn't tolerate". */
export function untoleratedTaints(msg: Availability): TaintReason[] {
  const out: TaintReason[] = [];
  for (const r of msg.reasons) {
    const keyed = /had (?:untolerated )?taint \{([^:}]+)(?::\s*([^}]*))?\}/.exec(r.reason);
    if (keyed) out.push({ key: keyed[1]?.trim(), value: keyed[2]?.trim() ?? "", count: r.count });
    else if (/had untolerated taint\(s\)/.test(r.reason)) out.push({ count: r.count });
  }
  return out;
}

export function mentionsNodeAffinity(msg: Availability): boolean {
  return msg.reasons.some((r) => /didn't match (Pod's )?node (affinity|selector)/.test(r.reason));
}

/** "6 Insufficient cpu, 2 Insufficient memory" — for messages. */
export function summariseReasons(msg: Availability): string {
  return msg.reasons.map((r) => (r.count === undefined ? r.reason : `${r.count} ${r.reason}`)).join(", ");
}
