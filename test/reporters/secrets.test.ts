import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeReports } from "../../src/reporters/index.ts";
import { REDACTED } from "../../src/util/redact.ts";
import { singleRunReport } from "./fixture.ts";

/** Credentials as they reach a report: a failing command's output, evidence, a timeline line. */
const TOKEN = "sk-live-4f9a8b7c6d5e";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXZhbHVl";
const KEY_DATA = "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVF";
const PASSWORD = "hunter2-very-secret";

function secretBearingReport() {
  const report = singleRunReport();
  const run = report.scenarios[0]!;
  run.reasons = [
    `setup failed: command exited 1: curl -H "Authorization: Bearer ${TOKEN}" ... \n  client-key-data: ${KEY_DATA}`,
  ];
  run.evidence[0]!.text = `Secret/db-creds data.password = ${PASSWORD}; id token ${JWT}`;
  run.timeline[0]!.what = `command output: token: ${TOKEN}`;
  return report;
}

describe("reports never carry credentials", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "kd-secrets-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("redacts tokens, keys and passwords from report.json, junit.xml, summary.md and report.html", async () => {
    const files = await writeReports(secretBearingReport(), dir);
    expect(files.map((f) => path.basename(f))).to.deep.equal(["report.json", "junit.xml", "summary.md", "report.html"]);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const secret of [TOKEN, JWT, KEY_DATA, PASSWORD])
        expect(text, `${path.basename(file)} leaks ${secret}`).not.to.include(secret);
    }
    const json = await readFile(files[0]!, "utf8");
    expect(json, "report.json says where something was removed").to.include(REDACTED);
  });

  it("leaves the report it was given untouched (the caller's copy is not rewritten)", async () => {
    const report = secretBearingReport();
    await writeReports(report, dir);
    expect(report.scenarios[0]!.evidence[0]!.text).to.include(PASSWORD);
  });
});
