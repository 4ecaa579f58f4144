import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareCommand } from "../../src/cli/commands/compare.ts";
import { UsageError } from "../../src/errors.ts";
import { aggregate } from "../../src/report/aggregate.ts";
import type { RunReport } from "../../src/report/types.ts";
import { compareReports, parseMargin } from "../../src/results/compare.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { diskFull, quota, repeatRunReport } from "../reporters/fixture.ts";

const T = Date.parse("2025-12-01T08:00:00.000Z");

/** A run of quota-exhaustion and disk-full with the given RTOs (one attempt each). */
function runWith(quotaRto: number, diskRto: number | null, extra = false): RunReport {
  const base = repeatRunReport();
  const d = diskFull(T + 1000, undefined, diskRto ?? 0, diskRto === null ? "failed" : "passed");
  if (diskRto === null) d.rtoMs = null;
  const scenarios = [quota(T, undefined, 8000, quotaRto), d];
  if (extra) scenarios.push({ ...quota(T + 5000, undefined, 100, 200), name: "new-drill" });
  return { ...base, scenarios, aggregates: aggregate(scenarios) };
}

describe("compare (kubedrill compare, run --baseline)", () => {
  it("reads margins as percentages and refuses anything else", () => {
    expect(parseMargin("20%")).to.equal(0.2);
    expect(parseMargin("7.5")).to.equal(0.075);
    expect(() => parseMargin("fast")).to.throw(
      UsageError,
      /--max-rto-regression must be a percentage such as 20% \(got "fast"\)/,
    );
  });

  it("flags an RTO beyond the margin and a scenario that no longer recovers, not one within it", () => {
    const c = compareReports(runWith(40_000, 60_000), runWith(48_500, null), { maxRtoRegression: 0.2 });
    expect(c.scenarios.map((s) => [s.name, s.rtoChange, s.regression])).to.deep.equal([
      ["quota-exhaustion", 0.2125, "RTO 48500ms is +21.3% above the base's 40000ms (allowed: +20.0%, up to 48000ms)"],
      ["disk-full", undefined, "recovered in 60000ms in the base run, not at all in the new one"],
    ]);
    expect(c.regressions).to.have.length(2);
    const within = compareReports(runWith(40_000, 60_000), runWith(48_000, 30_000), { maxRtoRegression: 0.2 });
    expect(within.regressions).to.deep.equal([]);
    expect(within.scenarios[1]!.rtoChange).to.equal(-0.5);
  });

  it("without a margin it only compares; a scenario on one side only is shown, never a regression", () => {
    const c = compareReports(runWith(40_000, 60_000), runWith(90_000, 60_000, true));
    expect(c.regressions).to.deep.equal([]);
    const added = c.scenarios.find((s) => s.name === "new-drill")!;
    expect(added.base).to.equal(undefined);
    expect(added.next).to.deep.include({ status: "passed", rtoMs: 200 });
  });

  it("a scenario skipped in the new run (its cluster lacks what it requires) was not measured: no regression", () => {
    const next = runWith(40_000, null);
    const disk = next.scenarios[1]!;
    Object.assign(disk, { status: "skipped", ttdMs: null, rtoMs: null, reasons: ["needs realDataPlane (...)"] });
    next.aggregates = aggregate(next.scenarios);
    const c = compareReports(runWith(40_000, 60_000), next, { maxRtoRegression: 0.2 });
    expect(c.regressions).to.deep.equal([]);
    expect(c.scenarios[1]!.name).to.equal("disk-full");
    expect(c.scenarios[1]!.regression).to.equal(undefined);
    expect(c.scenarios[1]!.next).to.deep.include({ status: "skipped", rtoMs: null });
  });

  describe("kubedrill compare BASE NEW", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kd-compare-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const io = () => {
      const out: string[] = [];
      return {
        out,
        io: {
          out: (t: string) => out.push(t),
          log: memoryLogger(),
          signal: new AbortController().signal,
          env: {},
          cwd: dir,
        },
      };
    };
    const write = (name: string, r: RunReport) => {
      const folder = join(dir, name);
      rmSync(folder, { recursive: true, force: true });
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(r));
      return `${name}.json`;
    };

    it("prints a table and exits 1 when the RTO regressed beyond --max-rto-regression, 0 otherwise", async () => {
      const base = write("base", runWith(40_000, 60_000));
      const slow = write("slow", runWith(60_000, 61_000));
      const a = io();
      const code = await compareCommand.run({ base, new: slow, maxRtoRegression: "20%", output: "text" }, a.io);
      expect(code).to.equal(1);
      const text = a.out.join("\n");
      expect(text).to.match(
        /^quota-exhaustion +passed -> passed +8\.00s -> 8\.00s \(0\.0%\) +40\.0s -> 1m00s \(\+50\.0%\) +REGRESSION$/m,
      );
      expect(text).to.match(/^disk-full +passed -> passed +13\.0s -> 13\.0s \(0\.0%\) +1m00s -> 1m01s \(\+1\.7%\)$/m);
      expect(text).to.match(/^RTO regression: quota-exhaustion: RTO 60000ms is \+50\.0% above/m);
      const b = io();
      expect(await compareCommand.run({ base, new: slow, maxRtoRegression: "60%", output: "json" }, b.io)).to.equal(0);
      const json = JSON.parse(b.out.join("\n")) as { regressions: string[]; scenarios: { name: string }[] };
      expect(json.regressions).to.deep.equal([]);
      expect(json.scenarios.map((s) => s.name)).to.deep.equal(["quota-exhaustion", "disk-full"]);
    });

    it("refuses a file that is not a report, naming it (usage error, exit 2)", async () => {
      writeFileSync(join(dir, "junk.json"), JSON.stringify({ hello: 1 }));
      const base = write("base", runWith(40_000, 60_000));
      await compareCommand.run({ base, new: "junk.json", output: "text" }, io().io).then(
        () => expect.fail("should refuse"),
        (err: Error) => {
          expect(err).to.be.instanceOf(UsageError);
          expect(err.message).to.match(/^NEW junk\.json: .*junk\.json is not a kubedrill report\.json/);
        },
      );
    });
  });
});
