import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yargs from "yargs";
import { createRunCommand, type RunArgs } from "../../src/cli/commands/run.ts";
import { UsageError, ValidationError } from "../../src/errors.ts";
import type { RunReport } from "../../src/report/types.ts";
import { spec } from "../fakes/scenario.ts";
import { args, doubles, ok } from "./run-doubles.ts";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { assertReportDirWritable } from "../../src/cli/report-dir.ts";

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

  it("gives the run's own client the context the provider allowed, even when --context was not given", async () => {
    const d = doubles([ok()]);
    const opened: { path: string; context?: string }[] = [];
    d.deps.createKube = (path, o) => (opened.push({ path, ...(o?.context ? { context: o.context } : {}) }), d.kube);
    const game = { ...(await d.deps.startCluster({ provider: "x", name: "x", log: d.log })) };
    d.deps.startCluster = async () => ({ ...game, provider: "kubeconfig", context: "prod-eu" });
    expect(await createRunCommand(d.deps).run(args({ provider: "kubeconfig" }), d.io())).to.equal(0);
    expect(opened).to.deep.equal([{ path: "/tmp/kd-test/kubeconfig", context: "prod-eu" }]);
  });

  it("on a game day, the dry-run plan shows the target's server and warns of commands naming --context or --kubeconfig", async () => {
    const s = ok();
    s.spec.fault.push(spec("command", { run: ["kubectl", "--context=prod", "get", "pods"] }, "spec.fault[0].command"));
    s.spec.remediate.steps.push(
      spec(
        "command",
        { run: ["kubectl", "--kubeconfig", "/home/me/.kube/config", "delete", "pod", "x"] },
        "spec.remediate.steps[0].command",
      ),
    );
    s.spec.steadyState.push(spec("command", { run: ["kubectl", "get", "pods"] }, "spec.steadyState[1].command"));
    const d = doubles([s]);
    const asked: unknown[] = [];
    d.deps.describeTarget = async (o) => (asked.push(o), ['target: context "prod-eu" at server https://prod:6443']);
    const [fault, remediate] = [s.spec.fault[0]!.loc, s.spec.remediate.steps[0]!.loc];
    await createRunCommand(d.deps).run(args({ dryRun: true, context: "prod-eu", allowContext: ["prod-eu"] }), d.io());
    expect(asked).to.deep.equal([{ env: {}, cwd: "/work/proj", allowContexts: ["prod-eu"], context: "prod-eu" }]);
    const warnings = [
      `${fault.file}:${fault.line}:5: spec.fault[0].command: command passes --context=prod: on a game day commands get a kubeconfig holding only the allowed context, so this may fail or reach a cluster nobody allowed`,
      `${remediate.file}:${remediate.line}:5: spec.remediate.steps[0].command: command passes --kubeconfig: on a game day commands get a kubeconfig holding only the allowed context, so this may fail or reach a cluster nobody allowed`,
    ];
    expect(d.out.slice(0, 3)).to.deep.equal([
      'target: context "prod-eu" at server https://prod:6443',
      ...warnings.map((w) => `warning: ${w}`),
    ]);
    expect(d.log.lines.filter((l) => l.level === "warn").map((l) => l.message)).to.deep.equal(warnings);
    // not a game day: no target, no warning
    const local = doubles([s]);
    local.deps.describeTarget = async () => expect.fail("not a game day");
    await createRunCommand(local.deps).run(args({ dryRun: true, provider: "local" }), local.io());
    expect(local.out.join("\n")).not.to.include("warning:");
  });
});
