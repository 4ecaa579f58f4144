import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import type { AttemptId, RunContext, RunHooks } from "../../src/engine/context.ts";
import type { Phase } from "../../src/report/types.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import { FakeKube } from "../fakes/kube.ts";
import { spec } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";
import { processResult } from "../fakes/process.ts";

export const NS = "kd-demo-abcde";

/** What the run hooks told: each phase entered and each signal seen, in order. */
export function recordHooks() {
  const phases: { phase: Phase; at: number; who: AttemptId }[] = [];
  const signals: { detector: string; at: number; who: AttemptId }[] = [];
  const hooks: RunHooks = {
    phase: (phase, at, who) => void phases.push({ phase, at, who }),
    signal: (s, who) => void signals.push({ detector: s.detector.describe(), at: s.at, who }),
  };
  /** Lets the run go on until it has entered `phase` (of attempt `attempt`, when given). */
  const inPhase = (phase: Phase, attempt?: number) =>
    until(
      () => phases.some((p) => p.phase === phase && (attempt === undefined || p.who.attempt === attempt)),
      `phase ${phase}${attempt === undefined ? "" : ` of attempt ${attempt}`}`,
    );
  return { hooks, phases, signals, inPhase };
}

/** A fake cluster, clock and logger wired into a RunContext, with its hooks recorded. */
export function harness(extra: Partial<RunContext> = {}) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  const { hooks, phases, signals, inPhase } = recordHooks();
  const execCalls: string[][] = [];
  const exec: ProcessRunner = async (argv) => {
    execCalls.push([...argv]);
    return processResult({ output: "ok", stdout: "ok" });
  };
  const ctx: RunContext = {
    kube,
    clock,
    log,
    runId: "run1",
    provider: "fake",
    newId: () => "abcde",
    exec,
    cleanupTimeoutMs: 5000,
    hooks,
    ...extra,
  };
  const t0 = clock.now();
  return { clock, kube, log, ctx, t0, inPhase, phases, signals, execCalls };
}

/** The demo app: a ConfigMap whose data.healthy is the steady state, and a pod app=web. */
export function demoSetup() {
  return spec(
    "apply",
    {
      objects: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app" }, data: { healthy: "yes" } },
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "web-0", labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "web:1" }] },
          status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
        },
      ],
    },
    "spec.setup.steps[0]",
  );
}

export const healthy = (value: string, field = "spec.steadyState[0]") =>
  spec("field", { target: { kind: "ConfigMap", name: "app" }, path: "data.healthy", equals: value }, field);

export const setHealthy = (value: string, field: string) =>
  spec("patch", { target: { kind: "ConfigMap", name: "app" }, patch: { data: { healthy: value } } }, field);

export const backOffSignal = () =>
  spec("event", { reason: "BackOff", selector: "app=web", message: "Back-off" }, "spec.detect.signals[0]");
