import { resolve } from "node:path";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { nestedSpec } from "../../src/pipeline/registry.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import type { BuildEnv, ClusterAccess, Probe, Step, StepContext } from "../../src/sdk/types.ts";
import type { Detector } from "../../src/sdk/types.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import { ClusterView } from "../../src/engine/view.ts";
import { holdUntil } from "../../src/engine/monitor.ts";
import type { ResourceType } from "../../src/k8s/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { spec } from "../fakes/scenario.ts";
import { processResult } from "../fakes/process.ts";

export const NS = "kd-steps-1";

/** A StepContext over a fake cluster, and builders for steps/probes/signals by type name. */
export function stepEnv(o: { exec?: ProcessRunner; cluster?: ClusterAccess; dir?: string } = {}) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  const view = new ClusterView(kube, { clock, log });
  const touched: ResourceType[] = [];
  const notRestored: string[] = [];
  const base = {
    view,
    namespace: NS,
    runId: "run9",
    clock,
    log,
    exec: o.exec ?? (async () => processResult()),
    fetch: async () => ({ status: 200, text: async () => "" }),
    cwd: o.dir ?? "/scenarios",
    env: { KUBEDRILL_NAMESPACE: NS },
  };
  const ctx: StepContext = {
    ...base,
    holdUntil: holdUntil(base),
    kube,
    scenarioLabel: NS,
    ownedNamespaces: new Set([NS]),
    touched: (t) => void touched.push(t),
    notRestored: (what) => void notRestored.push(what),
    ...(o.cluster ? { cluster: o.cluster } : {}),
  };
  const reg = defaultRegistries();
  const sources = new SourceFiles();
  const env = (): Omit<BuildEnv, "loc"> => {
    const e: Omit<BuildEnv, "loc"> = {
      namespace: NS,
      runId: "run9",
      file: `${o.dir ?? "/scenarios"}/s.yaml`,
      dir: o.dir ?? "/scenarios",
      probe: (raw, field) =>
        reg.probes.create(nestedSpec(raw, { file: "s.yaml", line: 1, column: 1, field: "spec.x" }, field), e),
      manifests: (path) => sources.objects(resolve(e.dir, path), path, "applied by s.yaml:1:1"),
    };
    return e;
  };
  return {
    clock,
    kube,
    log,
    view,
    ctx,
    touched,
    notRestored,
    step: (type: string, params: Record<string, unknown>): Step => reg.steps.create(spec(type, params), env()),
    probe: (type: string, params: Record<string, unknown>): Probe => reg.probes.create(spec(type, params), env()),
    signal: (type: string, params: Record<string, unknown>): Detector => reg.signals.create(spec(type, params), env()),
  };
}
