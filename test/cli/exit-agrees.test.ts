import { expect } from "chai";
import { createRunCommand } from "../../src/cli/commands/run.ts";
import { AbortedError, KubedrillError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/k8s/types.ts";
import { renderJunit } from "../../src/reporters/junit.ts";
import { FakeKube } from "../fakes/kube.ts";
import { args, doubles, ok } from "./run-doubles.ts";

/** A cluster that calls `onDelete` when the attempt's namespace is deleted (cleanup is under way). */
class CleanupHookKube extends FakeKube {
  onDelete: () => void = () => undefined;
  override async delete(ref: ObjectRef): Promise<boolean> {
    if (ref.kind === "Namespace") this.onDelete();
    return super.delete(ref);
  }
}

/** One `kubedrill run` whose signal is aborted with `reason` by `arm` at its chosen moment. */
async function runWith(
  arm: (abort: () => void, kube: CleanupHookKube, d: ReturnType<typeof doubles>) => void,
  reason: Error,
) {
  const d = doubles([ok(), ok()]);
  const kube = new CleanupHookKube(d.deps.clock);
  const ac = new AbortController();
  arm(() => ac.abort(reason), kube, d);
  const code = await createRunCommand({ ...d.deps, createKube: () => kube }).run(args(), d.io(ac.signal));
  const report = d.seen.written[0]!.report;
  return { code, report, junit: renderJunit(report) };
}

const junitCounts = (xml: string) => {
  const head = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml)!;
  return { tests: Number(head[1]), failures: Number(head[2]), errors: Number(head[3]) };
};

describe("exit status, report.json and junit.xml agree whatever the moment of the interrupt", () => {
  it("a signal during the cleanup of an attempt that passed: aborted everywhere, the verdict kept as a reason", async () => {
    const r = await runWith((abort, kube) => {
      kube.onDelete = () => abort();
    }, new AbortedError("interrupted by SIGINT"));
    expect(r.code).to.equal(130);
    expect(r.report.status).to.equal("aborted");
    const [first, second] = r.report.scenarios;
    expect(first!.status).to.equal("aborted");
    expect(first!.reasons[0]).to.equal("aborted during cleanup, after the scenario had passed");
    expect(first!.cleanup.ok).to.equal(true);
    // the second attempt never started: it is in the report, as not started
    expect(second!.status).to.equal("aborted");
    expect(second!.reasons).to.deep.equal(["not started: interrupted by SIGINT"]);
    expect(junitCounts(r.junit)).to.deep.equal({ tests: 2, failures: 0, errors: 2 });
    expect(r.junit.match(/<error [^>]*type="aborted"/g)).to.have.length(2);
  });

  it("a signal after the last attempt finished (while the reports are written): the run's verdict and exit 0 stand", async () => {
    const r = await runWith((abort, _kube, d) => {
      const write = d.deps.writeReports;
      d.deps.writeReports = async (report, dir) => (abort(), write(report, dir));
    }, new AbortedError("interrupted by SIGTERM"));
    expect(r.report.status).to.equal("passed");
    expect(r.code).to.equal(0);
    // and main.ts keeps this status instead of answering 130 for the late signal
    expect(createRunCommand(doubles([]).deps).statusCoversInterrupt).to.equal(true);
    expect(junitCounts(r.junit)).to.deep.equal({ tests: 2, failures: 0, errors: 0 });
  });

  it("stopped by an internal error (main.ts's last line): error verdicts and exit 3, not an interrupt", async () => {
    const r = await runWith((abort, kube) => {
      kube.onDelete = () => abort();
    }, new KubedrillError("internal error: boom"));
    expect(r.report.status).to.equal("error");
    expect(r.code).to.equal(3);
    expect(r.report.scenarios.map((s) => [s.status, s.reasons[0]])).to.deep.equal([
      ["error", "stopped during cleanup, after the scenario had passed: internal error: boom"],
      ["error", "not started: internal error: boom"],
    ]);
    expect(r.junit.match(/<error [^>]*type="error"/g)).to.have.length(2);
  });
});
