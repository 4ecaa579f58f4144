import { expect } from "chai";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scenarioSelection } from "../../src/cli/commands/run-select.ts";
import { BUNDLED_DIR } from "../../src/catalogue/locate.ts";
import { UsageError } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import type { BuiltScenario } from "../../src/pipeline/instantiate.ts";

const names = (b: BuiltScenario[]) => b.map((x) => x.scenario.metadata.name);
const fails = async (f: () => unknown) => {
  try {
    await f();
  } catch (err) {
    return err as Error;
  }
  return expect.fail("expected an error");
};

describe("kubedrill run: which scenarios (--tag, --rerun-failed, names)", () => {
  let tmp: string;
  let shipped: BuiltScenario[];
  before(async () => (shipped = (await checkScenarios([BUNDLED_DIR], { cwd: process.cwd() })).built));
  beforeEach(async () => (tmp = await mkdtemp(join(tmpdir(), "kd-select-"))));
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it("uses the shipped scenarios from a folder without scenarios/, and ./scenarios/ where there is one", async () => {
    expect((await scenarioSelection({}, tmp)).paths).to.deep.equal([BUNDLED_DIR]);
    await mkdir(join(tmp, "scenarios"));
    expect((await scenarioSelection({}, tmp)).paths).to.deep.equal(["scenarios/"]);
  });

  it("resolves scenario names to the shipped files and keeps paths as given", async () => {
    const { paths } = await scenarioSelection({ paths: ["pvc-unbound", "some/dir/"] }, tmp);
    expect(paths).to.deep.equal([join(BUNDLED_DIR, "pvc-unbound.yaml"), "some/dir/"]);
  });

  it("--tag keeps the scenarios carrying any of the tags; an unknown tag lists the tags there are", async () => {
    const { only } = await scenarioSelection({ tag: ["storage", "zones"] }, tmp);
    expect(names(only(shipped))).to.deep.equal(["pvc-unbound", "wal-disk-full", "zone-unavailable"]);
    const none = await scenarioSelection({ tag: ["nope"] }, tmp);
    const err = await fails(() => none.only(shipped));
    expect(err)
      .to.be.instanceOf(UsageError)
      .with.property("message")
      .that.matches(/--tag nope: .*the tags are: cni,/);
  });

  it("--rerun-failed takes the failed and errored scenarios of a report (file or folder), with their files", async () => {
    const file = (n: string) => join(BUNDLED_DIR, `${n}.yaml`);
    const run = (name: string, status: string, attempt = 1) => ({ name, status, attempt, file: file(name) });
    const report = {
      schemaVersion: 1,
      scenarios: [
        run("quota-exhaustion", "passed"),
        run("disk-full", "failed"),
        run("pvc-unbound", "passed", 1),
        run("pvc-unbound", "error", 2),
        run("zone-unavailable", "aborted"),
      ],
    };
    await mkdir(join(tmp, "reports", "r1"), { recursive: true });
    await writeFile(join(tmp, "reports", "r1", "report.json"), JSON.stringify(report));
    for (const where of ["reports/r1", "reports/r1/report.json"]) {
      const sel = await scenarioSelection({ rerunFailed: where }, tmp);
      expect(sel.paths).to.deep.equal([file("disk-full"), file("pvc-unbound")]);
      expect(names(sel.only(shipped))).to.deep.equal(["disk-full", "pvc-unbound"]);
    }
    const tagged = await scenarioSelection({ rerunFailed: "reports/r1", tag: ["storage"] }, tmp);
    expect(names(tagged.only(shipped))).to.deep.equal(["pvc-unbound"]);
  });

  it("--rerun-failed refuses a missing report, one that is not a report, and one where nothing failed", async () => {
    expect(await fails(() => scenarioSelection({ rerunFailed: "nowhere" }, tmp)))
      .to.be.instanceOf(UsageError)
      .with.property("message")
      .that.matches(/--rerun-failed nowhere: cannot read .*nowhere: no such file/);
    await writeFile(join(tmp, "x.json"), JSON.stringify({ hello: 1 }));
    expect((await fails(() => scenarioSelection({ rerunFailed: "x.json" }, tmp))).message).to.match(
      /not a kubedrill report\.json/,
    );
    await writeFile(join(tmp, "ok.json"), JSON.stringify({ scenarios: [{ name: "a", status: "passed", file: "a" }] }));
    expect((await fails(() => scenarioSelection({ rerunFailed: "ok.json" }, tmp))).message).to.match(
      /nothing failed or errored/,
    );
  });
});
