import type { StepPlugin, StepScope } from "../sdk/plugin.ts";
import { applyStep } from "./apply.ts";
import { collectImageGarbageStep } from "./collect-image-garbage.ts";
import { commandStep } from "./command.ts";
import { cordonStep } from "./cordon.ts";
import { deleteStep } from "./delete.ts";
import { fillDiskStep } from "./fill-disk.ts";
import { patchStep } from "./patch.ts";
import { restartPodsStep } from "./restart-pods.ts";
import { scaleStep } from "./scale.ts";
import { stopNodesStep } from "./stop-nodes.ts";
import { taintStep } from "./taint.ts";
import { uncordonStep } from "./uncordon.ts";
import { untaintStep } from "./untaint.ts";
import { waitStep } from "./wait.ts";
import { annotateStep } from "./annotate.ts";

/** Every step type, in the order the schema and error messages list them. */
export const STEPS: readonly StepPlugin[] = [
  applyStep,
  patchStep,
  deleteStep,
  scaleStep,
  cordonStep,
  uncordonStep,
  taintStep,
  untaintStep,
  stopNodesStep,
  fillDiskStep,
  collectImageGarbageStep,
  restartPodsStep,
  commandStep,
  waitStep,
  annotateStep,
];

/** What a step type touches (src/sdk/plugin.ts); undefined for a type no index lists. */
export function stepScope(type: string): StepScope | undefined {
  return STEPS.find((s) => s.name === type)?.scope;
}
