import type { SignalPlugin } from "../sdk/plugin.ts";
import { conditionSignal } from "./condition.ts";
import { eventSignal } from "./event.ts";
import { fieldSignal } from "./field.ts";
import { findingSignal } from "./finding.ts";
import { probeFailsSignal } from "./probe-fails.ts";
import { taintSignal } from "./taint.ts";

/** Every signal type, in the order the schema and error messages list them. */
export const SIGNALS: readonly SignalPlugin[] = [
  eventSignal,
  conditionSignal,
  fieldSignal,
  taintSignal,
  findingSignal,
  probeFailsSignal,
];
