import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunCommand } from "../../src/cli/commands/run.ts";
import { EXIT, exitCodeFor, exitCodeForReport, exitCodeForRun, exitCodeForStop } from "../../src/cli/exit.ts";
import {
  AbortedError,
  BuildError,
  ClusterError,
  GuardTrippedError,
  KubedrillError,
  NotApplicableError,
  SafetyError,
  UsageError,
  ValidationError,
} from "../../src/errors.ts";
import { startCluster } from "../../src/providers/index.ts";
import type { RunReport } from "../../src/report/types.ts";
import { writeReports } from "../../src/reporters/index.ts";
import { args, doubles, ok } from "./run-doubles.ts";

/** A kubeconfig whose one context points at a port nothing listens on. */
const NOWHERE = `apiVersion: v1
kind: Config
clusters:
  - name: nowhere
    cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
users:
  - name: drill
    user: { token: not-a-real-token }
contexts:
  - name: nowhere
    context: { cluster: nowhere, user: drill }
current-context: nowhere
`;

describe("the exit-code contract (src/cli/exit.ts)", () => {
  it("maps each thrown error class to its status", () => {
    expect(exitCodeFor(new AbortedError("interrupted by SIGINT"))).to.equal(130);
    expect(exitCodeFor(new UsageError("--repeat must be a whole number"))).to.equal(2);
    expect(exitCodeFor(new ValidationError([]))).to.equal(2);
    expect(exitCodeFor(new SafetyError("context not allowed"))).to.equal(2);
    expect(exitCodeFor(new NotApplicableError("none of the 2 cluster providers works here"))).to.equal(4);
    expect(exitCodeFor(new ClusterError("cannot reach the API server"))).to.equal(4);
    expect(exitCodeFor(new BuildError("etcd", "go: no space left"))).to.equal(4);
    expect(exitCodeFor(new KubedrillError("something else"))).to.equal(3);
    expect(exitCodeFor(new TypeError("a bug"))).to.equal(3);
    expect(exitCodeForStop(new AbortedError("SIGTERM"))).to.equal(130);
    expect(exitCodeForStop(new KubedrillError("internal error: boom"))).to.equal(3);
    expect(
      exitCodeFor(new GuardTrippedError("abort guard failed", { field: "f", probe: "p", evidence: "e", at: 0 })),
    ).to.equal(5);
    expect(EXIT).to.deep.equal({ ok: 0, failed: 1, usage: 2, error: 3, noCluster: 4, guard: 5, interrupted: 130 });
  });

  it("maps a report's status to its status, and a report without a cluster to 4", () => {
    expect(
      ["passed", "failed", "error", "aborted", "skipped"].map((s) => exitCodeForRun(s as RunReport["status"])),
    ).to.deep.equal([0, 1, 3, 130, 0]);
    expect(exitCodeForReport({ status: "error", cluster: { name: "x", unavailable: "no provider" } })).to.equal(4);
    expect(exitCodeForReport({ status: "error", cluster: { name: "x" } })).to.equal(3);
    expect(exitCodeForReport({ status: "aborted", cluster: { name: "x" } })).to.equal(130);
  });
});

describe("kubedrill run: exit status per case, reports always written", () => {
  it("3 when a scenario errored, with its report written", async () => {
    const s = ok();
    s.spec.requires.nodes = 99;
    const d = doubles([s, ok()]);
    const code = await createRunCommand(d.deps).run(args(), d.io());
    expect(code).to.equal(3);
    const { report } = d.seen.written[0]!;
    expect(report.status).to.equal("error");
    expect(report.scenarios[0]!.reasons[0]).to.match(/requires 99 Ready node\(s\)/);
  });

  it("0 when every attempt was skipped for what the cluster lacks, and the log says nothing ran", async () => {
    const s = ok();
    s.spec.requires.capabilities = ["authRegistry"];
    const d = doubles([s]);
    const code = await createRunCommand(d.deps).run(args({ repeat: 2 }), d.io());
    expect(code).to.equal(0);
    const { report } = d.seen.written[0]!;
    expect(report.status).to.equal("skipped");
    expect(report.scenarios.map((r) => [r.attempt, r.status])).to.deep.equal([
      [1, "skipped"],
      [2, "skipped"],
    ]);
    expect(d.kube.callsOf("create"), "nothing created").to.deep.equal([]);
    const said = d.log.lines.map((l) => `${l.level} ${l.message}`);
    expect(
      said.some((l) => /^info run \S+ skipped: 0 passed, 0 failed, 0 errored, 0 aborted, 2 skipped; /.test(l)),
    ).to.equal(true);
    expect(
      said.some((l) => l.startsWith("warn run ") && l.includes("every attempt was skipped, nothing ran")),
    ).to.equal(true);
  });

  it("a skipped scenario does not soften another's outcome: 3 beside an error", async () => {
    const skipped = ok();
    skipped.metadata.name = "needs-dns";
    skipped.spec.requires.capabilities = ["clusterDNS"];
    const big = ok();
    big.spec.requires.nodes = 99;
    const d = doubles([skipped, big]);
    expect(await createRunCommand(d.deps).run(args(), d.io())).to.equal(3);
    expect(d.seen.written[0]!.report.scenarios.map((r) => [r.name, r.status])).to.deep.equal([
      ["needs-dns", "skipped"],
      ["ok", "error"],
    ]);
  });

  it("4 when no provider works, with every attempt reported as not run and why", async () => {
    const d = doubles([ok()]);
    d.deps.startCluster = async () => {
      throw new NotApplicableError("none of the 2 cluster providers works here:\n  - kind: docker not found");
    };
    const code = await createRunCommand(d.deps).run(args({ repeat: 2 }), d.io());
    expect(code).to.equal(4);
    const { report, dir } = d.seen.written[0]!;
    expect(dir).to.equal(`/work/proj/reports/${report.runId}`);
    expect(report.status).to.equal("error");
    expect(report.cluster).to.deep.equal({
      name: "kubedrill",
      unavailable: "none of the 2 cluster providers works here:\n  - kind: docker not found",
    });
    expect(report.scenarios.map((r) => [r.name, r.attempt, r.status, r.reasons, r.cleanup.ok])).to.deep.equal([
      ["ok", 1, "error", ["not run: none of the 2 cluster providers works here:\n  - kind: docker not found"], true],
      ["ok", 2, "error", ["not run: none of the 2 cluster providers works here:\n  - kind: docker not found"], true],
    ]);
    expect(d.log.lines.some((l) => l.level === "error" && l.message.startsWith("no cluster: none of the 2"))).to.equal(
      true,
    );
  });

  it("130 when interrupted while the cluster starts, with the attempts reported as aborted, not run", async () => {
    const d = doubles([ok()]);
    const ac = new AbortController();
    d.deps.startCluster = async () => {
      ac.abort(new AbortedError("interrupted by SIGINT"));
      throw new ClusterError("kind create cluster was stopped");
    };
    expect(await createRunCommand(d.deps).run(args(), d.io(ac.signal))).to.equal(130);
    const { report } = d.seen.written[0]!;
    expect(report.status).to.equal("aborted");
    expect(report.cluster.unavailable).to.equal(undefined);
    expect(report.scenarios[0]!.reasons).to.deep.equal(["not run: interrupted by SIGINT"]);
  });

  describe("with the real providers and reporters", () => {
    let scratch: string;
    beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), "kd-exit-"))));
    afterEach(() => rmSync(scratch, { recursive: true, force: true }));

    const real = () => {
      const d = doubles([ok()]);
      return { d, deps: { ...d.deps, startCluster, writeReports } };
    };
    const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

    it("4 for --provider kubeconfig whose file does not exist: report.json, junit.xml, summary.md, report.html written", async () => {
      const { d, deps } = real();
      const reportDir = join(scratch, "out");
      const kubeconfig = join(scratch, "missing-kubeconfig");
      const code = await createRunCommand(deps).run(
        args({ provider: "kubeconfig", kubeconfig, allowContext: ["nowhere"], reportDir }),
        d.io(),
      );
      expect(code).to.equal(4);
      expect(files(reportDir)).to.deep.equal(["junit.xml", "report.html", "report.json", "summary.md"]);
      const report = JSON.parse(readFileSync(join(reportDir, "report.json"), "utf8")) as RunReport;
      expect(report.cluster.unavailable).to.match(/^--provider kubeconfig cannot be used here: /);
      expect(report.cluster.unavailable).to.include(kubeconfig);
      const junit = readFileSync(join(reportDir, "junit.xml"), "utf8");
      expect(junit).to.match(/<testsuites [^>]*tests="1" failures="0" errors="1"/);
      expect(junit).to.match(/<testcase name="ok"[\s\S]*<error message="not run: --provider kubeconfig cannot be used/);
      expect(readFileSync(join(reportDir, "summary.md"), "utf8")).to.include("> **No cluster**: --provider kubeconfig");
      expect(readFileSync(join(reportDir, "report.html"), "utf8")).to.include("none: --provider kubeconfig");
    });

    it("4 for an allowed context whose API server does not answer (https://127.0.0.1:1), reports written", async () => {
      const { d, deps } = real();
      const kubeconfig = join(scratch, "kubeconfig");
      writeFileSync(kubeconfig, NOWHERE, { mode: 0o600 });
      const reportDir = join(scratch, "out");
      const started = Date.now();
      const code = await createRunCommand(deps).run(
        args({ provider: "kubeconfig", kubeconfig, allowContext: ["nowhere"], reportDir }),
        d.io(),
      );
      expect(code).to.equal(4);
      expect(Date.now() - started, "fails fast").to.be.below(10_000);
      const report = JSON.parse(readFileSync(join(reportDir, "report.json"), "utf8")) as RunReport;
      expect(report.cluster.unavailable).to.match(
        /^cannot reach the API server of context "nowhere" at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
      );
      expect(report.scenarios[0]!.reasons[0]).to.match(/^not run: cannot reach the API server of context "nowhere"/);
      expect(files(reportDir)).to.deep.equal(["junit.xml", "report.html", "report.json", "summary.md"]);
      expect(readFileSync(join(reportDir, "junit.xml"), "utf8")).to.not.include("not-a-real-token");
    });

    it("2 for a context nobody allowed: refused before anything, no report", async () => {
      const { d, deps } = real();
      const kubeconfig = join(scratch, "kubeconfig");
      writeFileSync(kubeconfig, NOWHERE, { mode: 0o600 });
      const reportDir = join(scratch, "out");
      const err = await createRunCommand(deps)
        .run(args({ provider: "kubeconfig", kubeconfig, reportDir }), d.io())
        .then(
          () => expect.fail("should be refused"),
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(SafetyError);
      expect(exitCodeFor(err)).to.equal(2);
      expect(files(reportDir)).to.deep.equal([]);
    });
  });
});
