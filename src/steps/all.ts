/** Every step plug-in of kubedrill: one line each (the template: src/steps/annotate.ts). */
export { applyStep } from "./apply.ts";
export { patchStep } from "./patch.ts";
export { deleteStep } from "./delete.ts";
export { scaleStep } from "./scale.ts";
export { cordonStep } from "./cordon.ts";
export { uncordonStep } from "./uncordon.ts";
export { taintStep } from "./taint.ts";
export { untaintStep } from "./untaint.ts";
export { stopNodesStep } from "./stop-nodes.ts";
export { fillDiskStep } from "./fill-disk.ts";
export { collectImageGarbageStep } from "./collect-image-garbage.ts";
export { restartPodsStep } from "./restart-pods.ts";
export { commandStep } from "./command.ts";
export { waitStep } from "./wait.ts";
export { annotateStep } from "./annotate.ts";
