import { buildScenarios } from "../../src/pipeline/check.ts";
import type { BuiltScenario } from "../../src/pipeline/instantiate.ts";
import type { Scenario, TypedSpec } from "../../src/scenario/types.ts";

export const SCENARIO_FILE = "/scenarios/demo.yaml";

let line = 1;

/** A TypedSpec as the loader would produce it. */
export function spec(type: string, params: Record<string, unknown>, field = `spec.x[${line}]`): TypedSpec {
  return { type, params, loc: { file: SCENARIO_FILE, line: line++, column: 5, field } };
}

type SpecOverrides = Partial<Omit<Scenario["spec"], "setup" | "detect" | "remediate" | "recover" | "targets">> & {
  setup?: Partial<Scenario["spec"]["setup"]>;
  detect?: Partial<Scenario["spec"]["detect"]>;
  remediate?: Partial<Scenario["spec"]["remediate"]>;
  recover?: Partial<Scenario["spec"]["recover"]>;
  targets?: Partial<Scenario["spec"]["targets"]>;
};

/** A complete Scenario with harmless defaults; tests override what they exercise. */
export function scenario(name: string, o: SpecOverrides = {}): Scenario {
  return {
    file: SCENARIO_FILE,
    apiVersion: "kubedrill.io/v1alpha1",
    kind: "Scenario",
    metadata: { name, tags: [] },
    spec: {
      requires: o.requires ?? {},
      targets: { detectWithinMs: 30_000, recoverWithinMs: 60_000, ...o.targets },
      setup: { steps: [], waitFor: [], timeoutMs: 60_000, ...o.setup },
      steadyState: o.steadyState ?? [],
      ...(o.abortWhen ? { abortWhen: o.abortWhen } : {}),
      fault: o.fault ?? [],
      detect: { mode: "all", signals: [], ...o.detect },
      remediate: { steps: [], ...o.remediate },
      recover: { probes: [], rpo: [], holdForMs: 0, ...o.recover },
    },
  };
}

/** Scenarios through the pipeline's build stage (placeholder namespaces), as runSuite takes them. */
export function built(...scenarios: Scenario[]): BuiltScenario[] {
  return buildScenarios(scenarios, { runId: "test" });
}
