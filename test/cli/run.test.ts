import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yargs from "yargs";
import type { CliIO } from "../../src/cli/command.ts";
import { createRunCommand, type RunArgs, type RunDeps } from "../../src/cli/commands/run.ts";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { assertReportDirWritable } from "../../src/cli/report-dir.ts";
import { defaultRegistries } from "../../src/engine/registries.ts";
import { buildScenarios } from "../../src/pipeline/check.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import { UsageError, ValidationError, type SourceProblem } from "../../src/errors.ts";
import type { StartedCluster } from "../../src/providers/provider.ts";
import type { RunReport } from "../../src/report/types.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { demoSetup, healthy } from "../engine/harness.ts";

function doubles(scenarios: Scenario[], problems: SourceProblem[] = []) {
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

const args = (o: Partial<RunArgs> = {}): RunArgs => ({
  provider: "auto",
  name: "kubedrill",
  repeat: 1,
  parallel: 1,
  dryRun: false,
  remediate: true,
  paths: ["scenarios/"],
  ...o,
});
const ok = () => scenario("ok", { setup: { steps: [demoSetup()] }, steadyState: [healthy("yes")] });

describe("kubedrill run (command)", () => {
  it("runs on the provider's cluster, writes reports to reports/<runId>, exits 0 when all pass", async () => {
    const d = doubles([ok()]);
    const code = await createRunCommand(d.deps).run(args({ context: "dev", allowContext: ["dev"] }), d.io());
    expect(code).to.equal(0);
    expect(d.seen.started).to.deep.equal([
      { provider: "auto", name: "kubedrill", context: "dev", allowContexts: ["dev"] },
    ]);
    expect(d.seen.kubeconfig).to.equal("/tmp/kd-test/kubeconfig");
    const [{ report, dir }] = d.seen.written as [{ report: RunReport; dir: string }];
    expect(dir).to.equal(`/work/proj/reports/${report.runId}`);
    expect(report.runId).to.match(/^20260101-000000-[a-z0-9]{4}$/);
    expect(report).to.nested.include({
      provider: "local",
      "cluster.name": "kd-test",
      "tool.version": "9.9.9",
      status: "passed",
    });
    expect(d.out).to.deep.equal([`${dir}/report.json`, `${dir}/junit.xml`]);
    expect(d.seen.stopped).to.equal(1);
  });

  it("exits 1 when a scenario fails, and honours --report-dir", async () => {
    const bad = ok();
    bad.spec.recover.rpo.push(
      spec(
        "field",
        { target: { kind: "ConfigMap", name: "orders" }, path: "data.count", equals: "3" },
        "spec.recover.rpo[0]",
      ),
    );
    const d = doubles([bad]);
    expect(await createRunCommand(d.deps).run(args({ reportDir: "out/r" }), d.io())).to.equal(1);
    expect(d.seen.written[0]!.dir).to.equal("/work/proj/out/r");
    expect(d.seen.checkedDirs).to.deep.equal(["/work/proj/out/r"]);
  });

  it("an unwritable --report-dir is refused (exit 2) before the cluster is started", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "kd-report-dir-"));
    try {
      writeFileSync(join(scratch, "a-file"), "");
      const d = doubles([ok()]);
      const deps = { ...d.deps, checkReportDir: assertReportDirWritable };
      const reportDir = join(scratch, "a-file", "reports");
      const err = await createRunCommand(deps)
        .run(args({ reportDir }), d.io())
        .then(
          () => expect.fail("should throw"),
          (e: Error) => e,
        );
      expect(err).to.be.instanceOf(UsageError);
      expect(exitCodeFor(err)).to.equal(2);
      expect(err.message).to.equal(
        `--report-dir ${reportDir} is not writable (ENOTDIR); choose a folder you can write to`,
      );
      expect(d.seen.started, "no cluster work").to.deep.equal([]);
      // A writable folder is created, and the probe file is gone afterwards.
      const fine = join(scratch, "new", "reports");
      await assertReportDirWritable(fine);
      expect(readdirSync(fine)).to.deep.equal([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("--dry-run prints the plan without starting a cluster", async () => {
    const d = doubles([ok()]);
    expect(await createRunCommand(d.deps).run(args({ dryRun: true }), d.io())).to.equal(0);
    expect(d.seen.started).to.deep.equal([]);
    expect(d.seen.written).to.deep.equal([]);
    expect(d.kube.calls).to.deep.equal([]);
    expect(d.out.join("\n")).to.include("scenario ok (/scenarios/demo.yaml)");
  });

  it("usage and validation errors are thrown (exit 2 in main), before any cluster work", async () => {
    const d = doubles([], [{ file: "s.yaml", line: 3, column: 5, field: "spec.targets", message: "is required" }]);
    const cmd = createRunCommand(d.deps);
    await cmd.run(args(), d.io()).then(
      () => expect.fail("should throw"),
      (err: Error) => {
        expect(err).to.be.instanceOf(ValidationError);
        expect(err.message).to.equal("s.yaml:3:5: spec.targets is required");
      },
    );
    await cmd.run(args({ repeat: 0 }), d.io()).then(
      () => expect.fail("should throw"),
      (err: Error) => {
        expect(err).to.be.instanceOf(UsageError);
        expect(err.message).to.equal("--repeat must be a whole number >= 1 (got 0)");
      },
    );
    expect(d.seen.started).to.deep.equal([]);
  });

  it("exits 130 when aborted, still writing the partial report and stopping the cluster", async () => {
    const d = doubles([ok()]);
    const ac = new AbortController();
    ac.abort();
    expect(await createRunCommand(d.deps).run(args(), d.io(ac.signal))).to.equal(130);
    expect(d.seen.written[0]!.report.status).to.equal("aborted");
    expect(d.seen.stopped).to.equal(1);
  });

  it("gives the provider the run id, the plan (one line per step), dryRun and --allow-node-faults", async () => {
    const s = ok();
    s.spec.fault.push(spec("scale", { target: { kind: "Deployment", name: "api" }, replicas: 0 }, "spec.fault[0]"));
    const d = doubles([s]);
    const cmd = createRunCommand(d.deps);
    const parsed = (await cmd
      .builder(yargs(["--allow-node-faults", "--provider", "kubeconfig"]).exitProcess(false).fail(false))
      .parse()) as unknown as RunArgs;
    expect(parsed.allowNodeFaults).to.equal(true);
    await cmd.run({ ...args({ provider: "kubeconfig" }), allowNodeFaults: parsed.allowNodeFaults }, d.io());
    const [o] = d.seen.startOptions;
    const report = d.seen.written[0]!.report;
    expect(o).to.deep.include({ provider: "kubeconfig", runId: report.runId, dryRun: false, allowNodeFaults: true });
    expect(o!.plan).to.have.length(2);
    expect(o!.plan![0]).to.equal("ok: setup: apply 2 object(s) from 2 inline object(s): ConfigMap/app, Pod/web-0");
    expect(o!.plan![1]).to.match(/^ok: fault: scale Deployment\/api in kd-ok-[a-z0-9]+ to 0 replica\(s\)$/);
    // without the flag, node faults stay refused
    const d2 = doubles([ok()]);
    await createRunCommand(d2.deps).run(args(), d2.io());
    expect(d2.seen.startOptions[0]).to.deep.include({
      allowNodeFaults: false,
      plan: ["ok: setup: apply 2 object(s) from 2 inline object(s): ConfigMap/app, Pod/web-0"],
    });
  });
});
