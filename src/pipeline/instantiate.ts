import { dirname, resolve } from "node:path";
import { ValidationError, type SourceProblem } from "../errors.ts";
import type { Scenario, TypedSpec } from "../scenario/types.ts";
import { nestedSpec } from "./registry.ts";
import type { Registries } from "./registries.ts";
import type { BuildEnv, Detector, Need, Probe, Step } from "../sdk/types.ts";
import type { SourceFiles } from "./source-files.ts";

/** A scenario with every spec turned into its implementation, ready to run (or to plan). */
export interface BuiltScenario {
  scenario: Scenario;
  namespace: string;
  setup: Step[];
  waitFor: Probe[];
  steadyState: Probe[];
  /** spec.abortWhen: the abort guards, evaluated from the end of setup to the start of cleanup. */
  abortWhen: Probe[];
  fault: Step[];
  signals: Detector[];
  remediate: Step[];
  /** recover.probes, or the steady state when none are given. */
  recover: Probe[];
  rpo: Probe[];
  /** Everything the watch cache must hold for the probes and detectors. */
  needs: Need[];
}

/** What a scenario is built with: where it runs, and the run's registries and files. */
export interface Bindings {
  namespace: string;
  runId: string;
  /** Cluster facts for `${name}` substitution, e.g. provisioner. */
  vars?: Readonly<Record<string, string>>;
  registries: Registries;
  /** The run's files: manifests are read from here (once per run). */
  sources: SourceFiles;
}

/**
 * Stage 3 of the pipeline: instantiates every step, probe and signal through the
 * registries (each factory checks its params) before any cluster work; all problems are
 * reported together in one ValidationError. The runner calls this same function to bind
 * a checked scenario to its attempt's namespace.
 */
export function instantiate(scenario: Scenario, b: Bindings): BuiltScenario {
  const problems: SourceProblem[] = [];
  const { registries } = b;
  const dir = dirname(scenario.file);
  const make = <T>(create: (spec: TypedSpec, env: Omit<BuildEnv, "loc">) => T, specs: readonly TypedSpec[]): T[] =>
    specs.flatMap((spec) => {
      const context = `applied by ${spec.loc.file}:${spec.loc.line}:${spec.loc.column}`;
      const env: Omit<BuildEnv, "loc"> = {
        namespace: b.namespace,
        runId: b.runId,
        ...(b.vars ? { vars: b.vars } : {}),
        file: scenario.file,
        dir,
        probe: (raw, field) => registries.probes.create(nestedSpec(raw, spec.loc, `${spec.type}.${field}`), env),
        manifests: (path) => b.sources.objects(resolve(dir, path), path, context),
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
    namespace: b.namespace,
    setup: make(step, spec.setup.steps),
    waitFor: make(probe, spec.setup.waitFor),
    steadyState: make(probe, spec.steadyState),
    abortWhen: make(probe, spec.abortWhen ?? []),
    fault: make(step, spec.fault),
    signals: make(signal, spec.detect.signals),
    remediate: make(step, spec.remediate.steps),
    recover: [],
    rpo: make(probe, spec.recover.rpo),
    needs: [],
  };
  built.recover = spec.recover.probes.length > 0 ? make(probe, spec.recover.probes) : built.steadyState;
  if (problems.length > 0) throw new ValidationError(problems);
  const all = [
    ...built.waitFor,
    ...built.steadyState,
    ...built.abortWhen,
    ...built.signals,
    ...built.recover,
    ...built.rpo,
  ];
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
