import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { cordonFactory } from "./shared/cordon.ts";

/** uncordon { nodes } — marks the nodes schedulable; revert restores spec.unschedulable. */
export const uncordonStep = defineStep({
  name: "uncordon",
  description: "Mark nodes schedulable again.",
  scope: "nodes",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create: cordonFactory(false),
});
