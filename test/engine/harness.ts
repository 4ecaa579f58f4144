import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import type { RunContext } from "../../src/engine/context.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import { FakeKube } from "../fakes/kube.ts";
import { spec } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";
import { processResult } from "../fakes/process.ts";

export const NS = "kd-demo-abcde";

/** A fake cluster, clock and logger wired into a RunContext. */
export function harness(extra: Partial<RunContext> = {}) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
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
    ...extra,
  };
  const t0 = clock.now();
  const inPhase = (phase: string) => until(() => log.lines.some((l) => l.fields.phase === phase), `phase ${phase}`);
  const logged = (re: RegExp) => until(() => log.lines.some((l) => re.test(l.message)), `log ${re}`);
  return { clock, kube, log, ctx, t0, inPhase, logged, execCalls };
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
