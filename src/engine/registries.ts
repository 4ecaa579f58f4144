import { applyStep } from "../faults/apply.ts";
import { commandStep } from "../faults/command.ts";
import { cordonStep } from "../faults/cordon.ts";
import { deleteStep } from "../faults/delete.ts";
import { patchStep } from "../faults/patch.ts";
import { fillDiskStep, stopNodesStep } from "../faults/provider-actions.ts";
import { scaleStep } from "../faults/scale.ts";
import { taintStep, untaintStep } from "../faults/taint.ts";
import { waitStep } from "../faults/wait.ts";
import { collectImageGarbageStep } from "../remediations/image-gc.ts";
import { restartPodsStep } from "../remediations/restart-pods.ts";
import { availableProbe } from "../probes/available.ts";
import { commandProbe } from "../probes/command.ts";
import { conditionProbe } from "../probes/condition.ts";
import { connectivityProbe, routeProbe } from "../probes/data-plane.ts";
import { fieldProbe } from "../probes/field.ts";
import { httpProbe } from "../probes/http.ts";
import { noFindingProbe } from "../probes/no-finding.ts";
import { podsReadyProbe } from "../probes/pods-ready.ts";
import { eventSignal } from "../detectors/event.ts";
import { findingSignal } from "../detectors/finding.ts";
import { probeFailsSignal } from "../detectors/probe-fails.ts";
import { conditionSignal, fieldSignal } from "../detectors/state.ts";
import { taintSignal } from "../detectors/taint.ts";
import { Registry } from "./registry.ts";
import type { Detector, Probe, Step } from "./types.ts";

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
