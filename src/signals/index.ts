import type { SignalPlugin } from "../sdk/plugin.ts";
import * as all from "./all.ts";

/** Every signal type (src/signals/all.ts), in the order the schema lists them. */
export const SIGNALS: readonly SignalPlugin[] = Object.values(all);
