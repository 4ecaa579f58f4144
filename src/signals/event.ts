import { eventTime } from "../k8s/objects.ts";
import { knownKind } from "../k8s/kinds.ts";
import type { KObject } from "../k8s/types.ts";
import { eventIsSimulated } from "../sdk/provenance.ts";
import { Params } from "../sdk/params.ts";
import { labelMatcher } from "../sdk/selector.ts";
import type { BuildEnv, Detector, Need } from "../sdk/types.ts";
import type { ClusterView } from "../sdk/types.ts";
import { defineSignal } from "../sdk/plugin.ts";
import { labelSelector, regex, text } from "../sdk/schema-parts.ts";

const EVENT = { apiVersion: "v1", kind: "Event" } as const;

interface Involved {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** The fields of a core/v1 Event (or an events.k8s.io/v1 one, which names them differently). */
function eventFields(ev: KObject): { involved: Involved; reason: string; message: string; type: string } {
  const involved = (ev.involvedObject ?? ev.regarding ?? {}) as Involved;
  return {
    involved,
    reason: String(ev.reason ?? ""),
    message: String(ev.message ?? ev.note ?? ""),
    type: String(ev.type ?? ""),
  };
}

/**
 * event { involvedKind?, name?, selector?, reason, message? (regex), type?, namespace? }
 * — an Event with this reason (and type, and a message matching the regex) about an
 * object of that kind/name, or whose labels match `selector`; the labels are looked up
 * in the watch cache (so the involved kind, Pod by default, is watched too).
 * Events about cluster-scoped objects (Nodes) are watched in every namespace (the
 * kubelet writes them to "default"); others in the scenario's namespace.
 * Counts when the Event is added or updated (a repeat bumps its count) after the fault;
 * the signal carries the Event's own time (eventTime()), so that an old Event modified
 * or re-delivered after the fault does not count (src/engine/detection.ts).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Detector {
  const p = new Params(params, env.loc);
  const reason = p.str("reason");
  const message = p.regex("message");
  const type = p.optStr("type");
  const name = p.optStr("name");
  const selector = p.has("selector") ? p.selector("selector") : undefined;
  const kind = p.optStr("involvedKind") ?? (selector ? "Pod" : undefined);
  const known = kind ? knownKind(kind) : undefined;
  const clusterScoped = known ? !known.namespaced : false;
  const namespace = clusterScoped ? undefined : (p.optStr("namespace") ?? env.namespace);
  const match = selector ? labelMatcher(selector) : undefined;
  if (selector && !known)
    p.fail("involvedKind", `"${kind}" is not a kind kubedrill knows, so its labels cannot be looked up`);
  const kinds: Need[] = [{ ...EVENT, ...(namespace ? { namespace } : {}) }];
  if (selector && known)
    kinds.push({ apiVersion: known.apiVersion, kind: known.kind, ...(namespace ? { namespace } : {}) });
  const about = [kind, name, selector && `{${selector}}`].filter(Boolean).join(" ");

  const involvedObject = (view: ClusterView, inv: Involved): KObject | undefined =>
    known && inv.name ? view.get(known, inv.name, clusterScoped ? undefined : inv.namespace) : undefined;

  return {
    kinds,
    perChange: true,
    describe: () =>
      `event ${type ? `${type} ` : ""}${reason}${about ? ` on ${about}` : ""}${message ? ` /${message.source}/` : ""}`,
    match(ctx, change) {
      if (!change || change.resource.kind !== "Event" || change.type === "DELETED" || !change.object) return undefined;
      const ev = eventFields(change.object);
      if (ev.reason !== reason || (type && ev.type !== type)) return undefined;
      if (kind && ev.involved.kind !== kind) return undefined;
      if (name && ev.involved.name !== name) return undefined;
      if (message && !message.test(ev.message)) return undefined;
      const target = match ? involvedObject(ctx.view, ev.involved) : undefined;
      if (match && !(target && match(target.metadata.labels))) return undefined;
      const subject = `${ev.involved.kind ?? "?"}/${ev.involved.name ?? "?"}`;
      const occurredAt = eventTime(change.object);
      return {
        kind: "event",
        text: `${ev.type ? `${ev.type} ` : ""}${ev.reason} on ${subject}: ${ev.message}`,
        simulated: eventIsSimulated(change.object),
        ...(occurredAt !== undefined ? { occurredAt } : {}),
      };
    },
  };
}

export const eventSignal = defineSignal({
  name: "event",
  description: "A Kubernetes Event with this reason (and message) is recorded for a matching object.",
  params: {
    required: ["reason"],
    properties: {
      involvedKind: text("Kind of the involved object, e.g. Pod, ReplicaSet, Node."),
      name: text("Name of the involved object."),
      selector: labelSelector("Labels of the involved object."),
      reason: text("Event reason, compared exactly: FailedScheduling, FailedCreate, Evicted, ..."),
      message: regex("The event message matches this."),
      type: { type: "string", enum: ["Normal", "Warning"], description: "Event type." },
    },
  },
  create,
});
