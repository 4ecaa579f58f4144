/** Every probe plug-in of kubedrill: one line each (the template: src/steps/annotate.ts). */
export { podsReadyProbe } from "./pods-ready.ts";
export { availableProbe } from "./available.ts";
export { conditionProbe } from "./condition.ts";
export { taintProbe } from "./taint.ts";
export { fieldProbe } from "./field.ts";
export { noFindingProbe } from "./no-finding.ts";
export { commandProbe } from "./command.ts";
export { httpProbe } from "./http.ts";
export { connectivityProbe } from "./connectivity.ts";
export { routeProbe } from "./route.ts";
export { loadProbe } from "./load.ts";
export { acknowledgedWritesProbe } from "./acknowledged-writes.ts";
export { prometheusProbe } from "./prometheus.ts";
