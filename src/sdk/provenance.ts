import { fieldOwners, type FieldPath } from "../k8s/managed-fields.ts";
import type { KObject } from "../k8s/types.ts";

export type { FieldPath } from "../k8s/managed-fields.ts";

/**
 * Whether evidence is simulated is decided by who produced it, and by nothing else (not by
 * its wording):
 * - a field of an object is simulated when a model wrote it: its owner in
 *   `metadata.managedFields` is kwok (the kubelet of kwok nodes: kwok v0.8 patches status
 *   without naming a field manager, so the API server records the first word of its
 *   User-Agent, "kwok") or the local provider's model of a full disk (MODEL_FIELD_MANAGER);
 * - an Event is simulated when a model reported it: kwok v0.8 records the events of its
 *   stages as component "kwok_controller" (`source.component` and `reportingComponent`);
 * - answers computed in-process say it themselves: a modelled data plane (DataPlane.modelled),
 *   a modelled fault (FaultHandle.simulated).
 * A real kubelet, a controller or a user writes under its own name, so what it writes is
 * never simulated, whatever its text says.
 */
export const MODEL_FIELD_MANAGER = "kubedrill-kwok-model";

/** Field managers that are models. */
export const MODEL_FIELD_MANAGERS: readonly string[] = ["kwok", MODEL_FIELD_MANAGER];

/** Event reporters that are models. */
export const MODEL_EVENT_REPORTERS: readonly string[] = ["kwok_controller"];

/** Whether a model wrote the field at `path` (or a part of it). */
export function fieldIsSimulated(obj: KObject, path: FieldPath): boolean {
  return fieldOwners(obj, path).some((m) => MODEL_FIELD_MANAGERS.includes(m));
}

/** The component that reported an Event (core/v1 or events.k8s.io/v1). */
export function eventReporter(ev: KObject): string | undefined {
  const source = (ev.source ?? ev.deprecatedSource) as { component?: string } | undefined;
  for (const r of [ev.reportingComponent, ev.reportingController, source?.component])
    if (typeof r === "string" && r !== "") return r;
  return undefined;
}

/** Whether a model reported the Event. */
export function eventIsSimulated(ev: KObject): boolean {
  const r = eventReporter(ev);
  return r !== undefined && MODEL_EVENT_REPORTERS.includes(r);
}

/** The field a condition's state is in: `status.conditions[type=TYPE].status`. */
export const conditionField = (type: string): FieldPath => ["status", "conditions", { type }, "status"];
