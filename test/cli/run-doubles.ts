import { defaultRegistries } from "../../src/pipeline/registries.ts";
import type { CliIO } from "../../src/cli/command.ts";
import type { RunArgs, RunDeps } from "../../src/cli/commands/run.ts";
import { buildScenarios } from "../../src/pipeline/check.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import type { SourceProblem } from "../../src/errors.ts";
import type { StartedCluster } from "../../src/providers/provider.ts";
import type { RunReport } from "../../src/report/types.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { scenario } from "../fakes/scenario.ts";
import { demoSetup, healthy } from "../engine/harness.ts";

/** The run command's dependencies as doubles: a fake cluster and Kube, reports kept in memory. */
export function doubles(scenarios: Scenario[], problems: SourceProblem[] = []) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const seen = {
    loaded: [] as string[][],
    started: [] as unknown[],
    startOptions: [] as Parameters<RunDeps["startCluster"]>[0][],
    stopped: 0,
    kubeconfig: "",
    written: [] as { report: RunReport; dir: string }[],
    checkedDirs: [] as string[],
  };
  const cluster: StartedCluster = {
    provider: "local",
    name: "kd-test",
    kubeconfigPath: "/tmp/kd-test/kubeconfig",
    capabilities: {},
    actions: {} as StartedCluster["actions"],
    network: {},
    stop: async () => void seen.stopped++,
    [Symbol.asyncDispose]: async () => void seen.stopped++,
  };
  const deps: RunDeps = {
    // The pipeline's result for ready-made scenario models (the real one reads files).
    check: async (paths, o) => {
      seen.loaded.push([...paths]);
      const registries = defaultRegistries();
      const sources = new SourceFiles();
      const built = problems.length ? [] : buildScenarios(scenarios, { runId: o.runId!, registries, sources });
      return { problems, files: [...paths], skipped: [], built, runId: o.runId!, registries, sources };
    },
    startCluster: async (o) => (
      seen.startOptions.push(o),
      seen.started.push({ provider: o.provider, name: o.name, context: o.context, allowContexts: o.allowContexts }),
      cluster
    ),
    createKube: (path) => ((seen.kubeconfig = path), kube),
    writeReports: async (report, dir) => (
      seen.written.push({ report, dir }),
      [`${dir}/report.json`, `${dir}/junit.xml`]
    ),
    checkReportDir: async (dir) => void seen.checkedDirs.push(dir),
    clock,
    version: "9.9.9",
  };
  const out: string[] = [];
  const log = memoryLogger();
  const io = (signal = new AbortController().signal): CliIO => ({
    out: (t) => out.push(t),
    log,
    signal,
    env: {},
    cwd: "/work/proj",
  });
  return { deps, seen, out, log, io, kube };
}

export const args = (o: Partial<RunArgs> = {}): RunArgs => ({
  provider: "auto",
  name: "kubedrill",
  repeat: 1,
  parallel: 1,
  dryRun: false,
  remediate: true,
  paths: ["scenarios/"],
  ...o,
});
export const ok = () => scenario("ok", { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] });
