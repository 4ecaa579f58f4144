import type { StepPlugin, StepScope } from "../sdk/plugin.ts";
import * as all from "./all.ts";

/** Every step type (src/steps/all.ts), in the order the schema lists them. */
export const STEPS: readonly StepPlugin[] = Object.values(all);

/** What a step type touches (src/sdk/plugin.ts); undefined for a type no index lists. */
export function stepScope(type: string): StepScope | undefined {
  return STEPS.find((s) => s.name === type)?.scope;
}
