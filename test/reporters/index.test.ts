import { expect } from "chai";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubedrillError } from "../../src/errors.ts";
import { reporters, writeReports } from "../../src/reporters/index.ts";
import { singleRunReport } from "./fixture.ts";

describe("reporters/index writeReports", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "kubedrill-reports-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("exports the four reporters with distinct file names", () => {
    expect(reporters.map((r) => r.fileName)).to.deep.equal(["report.json", "junit.xml", "summary.md", "report.html"]);
  });

  it("creates the directory, writes every report and returns their paths", async () => {
    const report = singleRunReport();
    const dir = path.join(root, "reports", report.runId);
    const written = await writeReports(report, dir);
    expect(written).to.deep.equal(reporters.map((r) => path.join(dir, r.fileName)));
    for (const r of reporters) expect(await readFile(path.join(dir, r.fileName), "utf8")).to.equal(r.render(report));
    expect((await readdir(dir)).sort()).to.deep.equal(["junit.xml", "report.html", "report.json", "summary.md"]);
  });

  it("points reports/latest at the newest run, replacing an older link", async () => {
    const a = singleRunReport();
    await writeReports(a, path.join(root, "reports", "run-a"));
    expect(await readlink(path.join(root, "reports", "latest"))).to.equal("run-a");
    await writeReports(a, path.join(root, "reports", "run-b"));
    expect(await readlink(path.join(root, "reports", "latest"))).to.equal("run-b");
    expect(JSON.parse(await readFile(path.join(root, "reports", "latest", "report.json"), "utf8"))).to.deep.equal(a);
    expect((await readdir(path.join(root, "reports"))).sort()).to.deep.equal(["latest", "run-a", "run-b"]);
  });

  it("makes no latest link when the parent is not named reports", async () => {
    await writeReports(singleRunReport(), path.join(root, "out", "run-a"));
    expect(await readdir(path.join(root, "out"))).to.deep.equal(["run-a"]);
  });

  it("ignores a failure to link (latest is a real directory)", async () => {
    await mkdir(path.join(root, "reports", "latest"), { recursive: true });
    await writeFile(path.join(root, "reports", "latest", "keep.txt"), "x");
    const written = await writeReports(singleRunReport(), path.join(root, "reports", "run-a"));
    expect(written).to.have.length(4);
    expect(await readdir(path.join(root, "reports", "latest"))).to.deep.equal(["keep.txt"]);
  });

  it("fails loudly when a file cannot be written, and leaves no temporary file", async () => {
    const dir = path.join(root, "reports", "run-a");
    await mkdir(path.join(dir, "junit.xml"), { recursive: true });
    let caught: unknown;
    try {
      await writeReports(singleRunReport(), dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(KubedrillError);
    expect((caught as Error).message).to.include(`cannot write report ${path.join(dir, "junit.xml")}`);
    expect((await readdir(dir)).sort()).to.deep.equal(["junit.xml", "report.json"]);
  });

  it("fails when the directory cannot be created", async () => {
    await writeFile(path.join(root, "file"), "x");
    let caught: unknown;
    try {
      await writeReports(singleRunReport(), path.join(root, "file", "run-a"));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(KubedrillError);
    expect((caught as Error).message).to.match(/cannot create report directory .*file\/run-a/);
  });
});
