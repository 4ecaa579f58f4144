import { defineStep } from "../sdk/plugin.ts";
import { ref } from "../sdk/schema-parts.ts";
import { cordonFactory } from "./shared/cordon.ts";

/** cordon { nodes } — marks the nodes unschedulable; revert restores spec.unschedulable. */
export const cordonStep = defineStep({
  name: "cordon",
  description: "Mark nodes unschedulable.",
  scope: "nodes",
  params: { required: ["nodes"], properties: { nodes: ref("nodeSelector") } },
  create: cordonFactory(true),
});
