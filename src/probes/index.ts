import type { ProbePlugin } from "../sdk/plugin.ts";
import { availableProbe } from "./available.ts";
import { commandProbe } from "./command.ts";
import { conditionProbe } from "./condition.ts";
import { connectivityProbe } from "./connectivity.ts";
import { fieldProbe } from "./field.ts";
import { httpProbe } from "./http.ts";
import { noFindingProbe } from "./no-finding.ts";
import { podsReadyProbe } from "./pods-ready.ts";
import { routeProbe } from "./route.ts";

/** Every probe type, in the order the schema and error messages list them. */
export const PROBES: readonly ProbePlugin[] = [
  podsReadyProbe,
  availableProbe,
  conditionProbe,
  fieldProbe,
  noFindingProbe,
  commandProbe,
  httpProbe,
  connectivityProbe,
  routeProbe,
];
