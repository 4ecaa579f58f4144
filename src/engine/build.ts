import { dirname } from "node:path";
import { ValidationError, type SourceProblem } from "../errors.ts";
import type { Scenario, TypedSpec } from "../scenario/types.ts";
import { nestedSpec } from "./registry.ts";
import type { Registries } from "./registries.ts";
import type { BuildEnv, Detector, Need, Probe, Step } from "../sdk/types.ts";

/** A scenario with every spec turned into its implementation, ready to run (or to plan). */
export interface BuiltScenario {
  scenario: Scenario;
  namespace: string;
  setup: Step[];
  waitFor: Probe[];
  steadyState: Probe[];
  fault: Step[];
  signals: Detector[];
  remediate: Step[];
  /** recover.probes, or the steady state when none are given. */
  recover: Probe[];
  rpo: Probe[];
  /** Everything the watch cache must hold for the probes and detectors. */
  needs: Need[];
}

/**
 * Instantiates every step, probe and signal (validating their params) before any cluster
 * work; all problems are reported together in one ValidationError.
 */
export function buildScenario(
  scenario: Scenario,
  opts: { namespace: string; runId: string; registries: Registries; vars?: Readonly<Record<string, string>> },
): BuiltScenario {
  const problems: SourceProblem[] = [];
  const { registries } = opts;
  const base: Omit<BuildEnv, "loc"> = {
    namespace: opts.namespace,
    runId: opts.runId,
    ...(opts.vars ? { vars: opts.vars } : {}),
    file: scenario.file,
    dir: dirname(scenario.file),
    probe: () => {
      throw new Error("unreachable");
    },
  };
  const make = <T>(create: (spec: TypedSpec, env: Omit<BuildEnv, "loc">) => T, specs: readonly TypedSpec[]): T[] =>
    specs.flatMap((spec) => {
      const env: Omit<BuildEnv, "loc"> = {
        ...base,
        probe: (raw, field) => registries.probes.create(nestedSpec(raw, spec.loc, `${spec.type}.${field}`), env),
      };
      try {
        return [create(spec, env)];
      } catch (err) {
        if (err instanceof ValidationError) problems.push(...err.problems);
        else throw err;
        return [];
      }
    });
  const step = (s: TypedSpec, e: Omit<BuildEnv, "loc">) => registries.steps.create(s, e);
  const probe = (s: TypedSpec, e: Omit<BuildEnv, "loc">) => registries.probes.create(s, e);
  const signal = (s: TypedSpec, e: Omit<BuildEnv, "loc">) => registries.signals.create(s, e);
  const spec = scenario.spec;
  const built: BuiltScenario = {
    scenario,
    namespace: opts.namespace,
    setup: make(step, spec.setup.steps),
    waitFor: make(probe, spec.setup.waitFor),
    steadyState: make(probe, spec.steadyState),
    fault: make(step, spec.fault),
    signals: make(signal, spec.detect.signals),
    remediate: make(step, spec.remediate.steps),
    recover: [],
    rpo: make(probe, spec.recover.rpo),
    needs: [],
  };
  built.recover = spec.recover.probes.length > 0 ? make(probe, spec.recover.probes) : built.steadyState;
  if (problems.length > 0) throw new ValidationError(problems);
  const all = [...built.waitFor, ...built.steadyState, ...built.signals, ...built.recover, ...built.rpo];
  built.needs = dedupe([
    ...all.flatMap((x) => x.kinds),
    ...[...built.setup, ...built.fault, ...built.remediate].flatMap((s) => s.kinds ?? []),
  ]);
  return built;
}

function dedupe(needs: Need[]): Need[] {
  const seen = new Map<string, Need>();
  for (const n of needs) {
    const key = `${n.apiVersion}/${n.kind}@${n.namespace ?? "*"}`;
    const prev = seen.get(key);
    if (!prev || (prev.optional && !n.optional)) seen.set(key, n);
  }
  // Cluster-wide watches first, so that namespaced ones of the same type are not needed.
  return [...seen.values()].sort((a, b) => Number(a.namespace !== undefined) - Number(b.namespace !== undefined));
}
