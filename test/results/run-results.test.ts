import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunCommand } from "../../src/cli/commands/run.ts";
import { prepareResults } from "../../src/cli/commands/run-results.ts";
import { UsageError } from "../../src/errors.ts";
import { aggregate } from "../../src/report/aggregate.ts";
import type { RunReport } from "../../src/report/types.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { args, doubles, ok } from "../cli/run-doubles.ts";
import { quota, repeatRunReport } from "../reporters/fixture.ts";

const withRto = (rtoMs: number): RunReport => {
  const scenarios = [quota(Date.parse("2025-12-01T08:00:00Z"), undefined, 8000, rtoMs)];
  return { ...repeatRunReport(), status: "passed", scenarios, aggregates: aggregate(scenarios) };
};

describe("kubedrill run --metrics-file, --pushgateway, --baseline", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kd-results-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const io = () => {
    const out: string[] = [];
    const log = memoryLogger();
    return {
      out,
      log,
      io: { out: (t: string) => out.push(t), log, signal: new AbortController().signal, env: {}, cwd: dir },
    };
  };

  it("writes the metrics file next to the reports and compares with a baseline that the run did not regress from", async () => {
    const d = doubles([ok()]);
    const first = io();
    const code = await createRunCommand(d.deps).run(args({ metricsFile: "out/metrics.txt" }), first.io);
    expect(code).to.equal(0);
    const text = readFileSync(join(dir, "out/metrics.txt"), "utf8");
    expect(text).to.match(/^kubedrill_attempt_status\{scenario="ok",attempt="1",status="passed"\} 1$/m);
    expect(text.endsWith("# EOF\n")).to.equal(true);
    expect(first.out).to.include(join(dir, "out/metrics.txt"));
    // the report that run wrote is the baseline of the next one
    writeFileSync(join(dir, "base.json"), JSON.stringify(d.seen.written[0]!.report));
    const second = io();
    const again = await createRunCommand(d.deps).run(args({ baseline: "base.json" }), second.io);
    expect(again).to.equal(0);
    expect(second.out.join("\n")).to.match(/^ok +passed -> passed .*\n\nno RTO regression beyond the margin$/m);
  });

  it("turns exit 0 into 1 when the RTO regressed beyond the margin, and keeps a worse status", async () => {
    writeFileSync(join(dir, "base.json"), JSON.stringify(withRto(40_000)));
    const a = io();
    const results = await prepareResults({ baseline: "base.json", maxRtoRegression: "20%" }, a.io);
    expect(await results.finish(withRto(47_000), 0)).to.equal(0);
    expect(await results.finish(withRto(49_000), 0)).to.equal(1);
    expect(a.out.at(-1)).to.match(/RTO regression: quota-exhaustion: RTO 49000ms is \+22\.5% above the base's 40000ms/);
    expect(await results.finish(withRto(49_000), 3)).to.equal(3);
    expect(await (await prepareResults({ baseline: "base.json" }, a.io)).finish(withRto(48_001), 0)).to.equal(
      1,
      "20% by default",
    );
  });

  it("refuses bad result options before any cluster work (exit 2)", async () => {
    for (const [o, message] of [
      [{ maxRtoRegression: "20%" }, /--max-rto-regression needs --baseline/],
      [{ baseline: "missing.json" }, /--baseline missing\.json: cannot read .*missing\.json: no such file/],
      [{ pushgateway: "ftp://gw" }, /--pushgateway must be an http or https URL/],
    ] as const) {
      const d = doubles([ok()]);
      const err = await createRunCommand(d.deps)
        .run(args(o), io().io)
        .then(
          () => expect.fail("should refuse"),
          (e: unknown) => e as Error,
        );
      expect(err).to.be.instanceOf(UsageError);
      expect(err.message).to.match(message);
      expect(d.seen.started).to.deep.equal([]);
    }
  });

  it("a Pushgateway that cannot be reached is logged; the run's status stands", async () => {
    const d = doubles([ok()]);
    const a = io();
    const code = await createRunCommand(d.deps).run(args({ pushgateway: "http://127.0.0.1:1" }), a.io);
    expect(code).to.equal(0);
    expect(
      a.log.lines.some(
        (l) =>
          l.level === "error" &&
          /^pushing metrics to http:\/\/127\.0\.0\.1:1\/metrics\/job\/kubedrill: /.test(l.message),
      ),
    ).to.equal(true);
  });
});
