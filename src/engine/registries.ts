import { applyStep } from "../steps/apply.ts";
import { commandStep } from "../steps/command.ts";
import { cordonStep } from "../steps/cordon.ts";
import { deleteStep } from "../steps/delete.ts";
import { patchStep } from "../steps/patch.ts";
import { fillDiskStep, stopNodesStep } from "../steps/provider-actions.ts";
import { scaleStep } from "../steps/scale.ts";
import { taintStep, untaintStep } from "../steps/taint.ts";
import { waitStep } from "../steps/wait.ts";
import { collectImageGarbageStep } from "../steps/collect-image-garbage.ts";
import { restartPodsStep } from "../steps/restart-pods.ts";
import { availableProbe } from "../probes/available.ts";
import { commandProbe } from "../probes/command.ts";
import { conditionProbe } from "../probes/condition.ts";
import { connectivityProbe, routeProbe } from "../probes/data-plane.ts";
import { fieldProbe } from "../probes/field.ts";
import { httpProbe } from "../probes/http.ts";
import { noFindingProbe } from "../probes/no-finding.ts";
import { podsReadyProbe } from "../probes/pods-ready.ts";
import { eventSignal } from "../signals/event.ts";
import { findingSignal } from "../signals/finding.ts";
import { probeFailsSignal } from "../signals/probe-fails.ts";
import { conditionSignal, fieldSignal } from "../signals/state.ts";
import { taintSignal } from "../signals/taint.ts";
import { Registry } from "./registry.ts";
import type { Detector, Probe, Step } from "../sdk/types.ts";

export interface Registries {
  steps: Registry<Step>;
  probes: Registry<Probe>;
  signals: Registry<Detector>;
}

/** Every step, probe and signal type of the catalogue (src/scenario/types.ts). */
export function defaultRegistries(): Registries {
  const steps = new Registry<Step>("step")
    .register("apply", applyStep)
    .register("patch", patchStep)
    .register("delete", deleteStep)
    .register("scale", scaleStep)
    .register("cordon", cordonStep(true))
    .register("uncordon", cordonStep(false))
    .register("taint", taintStep)
    .register("untaint", untaintStep)
    .register("stopNodes", stopNodesStep)
    .register("fillDisk", fillDiskStep)
    .register("collectImageGarbage", collectImageGarbageStep)
    .register("restartPods", restartPodsStep)
    .register("command", commandStep)
    .register("wait", waitStep);
  const probes = new Registry<Probe>("probe")
    .register("podsReady", podsReadyProbe)
    .register("available", availableProbe)
    .register("condition", conditionProbe)
    .register("field", fieldProbe)
    .register("noFinding", noFindingProbe)
    .register("command", commandProbe)
    .register("http", httpProbe)
    .register("connectivity", connectivityProbe)
    .register("route", routeProbe);
  const signals = new Registry<Detector>("signal")
    .register("event", eventSignal)
    .register("condition", conditionSignal)
    .register("field", fieldSignal)
    .register("taint", taintSignal)
    .register("finding", findingSignal)
    .register("probeFails", probeFailsSignal);
  return { steps, probes, signals };
}
