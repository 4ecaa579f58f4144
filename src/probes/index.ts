import type { ProbePlugin } from "../sdk/plugin.ts";
import * as all from "./all.ts";

/** Every probe type (src/probes/all.ts), in the order the schema lists them. */
export const PROBES: readonly ProbePlugin[] = Object.values(all);
