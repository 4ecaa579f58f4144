/** The runner's phase helpers; src/engine/runner.ts has the flow. */
import { KubedrillError, TimeoutError, withContext } from "../errors.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, LABEL_SCENARIO, MANAGED_BY } from "../k8s/types.ts";
import type { Scenario, TypedSpec } from "../scenario/types.ts";
import type { AsyncStack } from "../util/disposable.ts";
import { remediate, type RemediationMode } from "./remediate.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import { ProbeMonitor } from "./monitor.ts";
import { conditionsOf } from "../sdk/objects.ts";
import type { Timeline } from "./timeline.ts";
import type { EvalContext, Probe, ProbeResult, Step, StepContext } from "../sdk/types.ts";
import { abortReason } from "./wait.ts";

/** requires.nodes: at least that many Ready nodes, or the attempt errors before changing anything. */
export async function checkRequirements(sc: StepContext, scenario: Scenario): Promise<void> {
  const want = scenario.spec.requires.nodes;
  if (!want) return;
  const { items } = await sc.kube.list({ apiVersion: "v1", kind: "Node" });
  const ready = items.filter((n) => conditionsOf(n).some((c) => c.type === "Ready" && c.status === "True")).length;
  if (ready < want)
    throw new KubedrillError(
      `the scenario requires ${want} Ready node(s); the cluster has ${ready} (of ${items.length})`,
    );
}

export async function createNamespace(sc: StepContext, stack: AsyncStack): Promise<void> {
  const ref = { apiVersion: "v1", kind: "Namespace", name: sc.namespace };
  stack.defer(`delete namespace ${sc.namespace}`, async () => {
    await sc.kube.delete(ref);
  });
  const labels = { [LABEL_RUN_ID]: sc.runId, [LABEL_SCENARIO]: sc.scenarioLabel, [LABEL_MANAGED]: MANAGED_BY };
  await sc.kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: sc.namespace, labels } });
}

/** Runs steps in order, each handle on the stack; returns whether any effect was simulated. */
export async function runSteps(
  steps: Step[],
  specs: TypedSpec[],
  sc: StepContext,
  stack: AsyncStack,
  timeline: Timeline,
  signal: AbortSignal,
): Promise<boolean> {
  let simulated = false;
  for (const [i, step] of steps.entries()) {
    if (signal.aborted) throw abortReason(signal);
    const spec = specs[i]!;
    timeline.note(step.describe());
    // A step is not abandoned on abort (its handle must reach the stack); steps that
    // wait (wait, command) honour the signal themselves.
    try {
      const h = await step.inject(sc);
      stack.use(`${spec.loc.field} (${spec.type}): ${step.describe()}`, h);
      simulated ||= h.simulated === true;
    } catch (err) {
      if (signal.aborted) throw err;
      throw withContext(`${spec.loc.file}:${spec.loc.line}:${spec.loc.column} ${spec.loc.field} (${spec.type})`, err);
    }
  }
  return simulated;
}

export function remediateStep(
  built: BuiltScenario,
  scenario: Scenario,
  sc: StepContext,
  stack: AsyncStack,
  timeline: Timeline,
  signal: AbortSignal,
  enabled: boolean,
): Promise<RemediationMode> {
  return remediate({
    spec: scenario.spec.remediate,
    steps: built.remediate,
    enabled,
    runStep: async (step, i) => {
      await runSteps([step], [scenario.spec.remediate.steps[i]!], sc, stack, timeline, signal);
    },
    note: (what) => timeline.note(what),
  });
}

/** Waits for probes to hold, or fails with a TimeoutError naming what does not hold. */
export async function holdOrFail(
  probes: Probe[],
  ev: EvalContext,
  deadline: number,
  what: string,
  timeline: Timeline,
): Promise<void> {
  if (probes.length === 0) return;
  const start = ev.clock.now();
  using monitor = new ProbeMonitor(probes, ev).start();
  const at = await monitor.waitHold({ holdForMs: 0, deadline, ...(ev.signal ? { signal: ev.signal } : {}) });
  if (at === undefined) {
    const elapsed = ev.clock.now() - start;
    throw new TimeoutError(
      `${what} did not hold within ${deadline - start}ms: ${monitor.failures().join("; ")}`,
      elapsed,
      deadline - start,
    );
  }
  timeline.note(`${what} holds: ${monitor.results.map((r) => r?.message).join("; ")}`);
}

export async function evaluateOnce(probe: Probe, ev: EvalContext): Promise<ProbeResult> {
  try {
    return await probe.evaluate(ev);
  } catch (err) {
    return { ok: false, message: `${probe.describe()}: ${(err as Error).message}`, simulated: false };
  }
}

/**
 * Settles with `work`, or rejects as soon as the signal aborts. The work goes on; its
 * outcome is still observed (a late failure is dropped, never an unhandled rejection).
 */
export function race<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e as Error);
      },
    );
  });
}
