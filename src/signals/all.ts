/** Every signal plug-in of kubedrill: one line each (the template: src/steps/annotate.ts). */
export { eventSignal } from "./event.ts";
export { conditionSignal } from "./condition.ts";
export { fieldSignal } from "./field.ts";
export { taintSignal } from "./taint.ts";
export { findingSignal } from "./finding.ts";
export { probeFailsSignal } from "./probe-fails.ts";
export { prometheusSignal } from "./prometheus.ts";
