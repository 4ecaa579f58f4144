import { PROBES } from "../probes/index.ts";
import { SIGNALS } from "../signals/index.ts";
import { STEPS } from "../steps/index.ts";
import type { ProbePlugin, SignalPlugin, StepPlugin } from "../sdk/plugin.ts";
import type { Detector, Probe, Step } from "../sdk/types.ts";
import { Registry } from "./registry.ts";

export interface Registries {
  steps: Registry<Step, StepPlugin>;
  probes: Registry<Probe, ProbePlugin>;
  signals: Registry<Detector, SignalPlugin>;
}

/** Every step, probe and signal type of the indexes (src/steps, src/probes, src/signals). */
export function defaultRegistries(): Registries {
  const steps = new Registry<Step, StepPlugin>("step");
  const probes = new Registry<Probe, ProbePlugin>("probe");
  const signals = new Registry<Detector, SignalPlugin>("signal");
  for (const p of STEPS) steps.add(p);
  for (const p of PROBES) probes.add(p);
  for (const p of SIGNALS) signals.add(p);
  return { steps, probes, signals };
}
