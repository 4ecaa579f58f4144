import { expect } from "chai";
import { join } from "node:path";
import { junitReporter, renderJunit, shownFile } from "../../src/reporters/junit.ts";
import { PACKAGE_ROOT } from "../../src/util/package-root.ts";
import { hostileReport, HOSTILE, repeatRunReport, singleRunReport } from "./fixture.ts";
import { xmlProblems } from "./xml-check.ts";
import { junitSchemaProblems } from "./junit-schema.ts";

/** The <testcase> elements, by name attribute. */
function testcases(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<testcase name="([^"]*)"[\s\S]*?<\/testcase>/g)) out.set(m[1]!, m[0]);
  return out;
}

describe("reporters/junit", () => {
  const single = renderJunit(singleRunReport());
  const repeat = renderJunit(repeatRunReport());

  it("writes junit.xml", () => {
    expect(junitReporter.fileName).to.equal("junit.xml");
  });

  it("is well-formed XML", () => {
    expect(xmlProblems(single)).to.deep.equal([]);
    expect(xmlProblems(repeat)).to.deep.equal([]);
  });

  it("has one testsuite per scenario file and one testcase per attempt, with totals", () => {
    expect(single.match(/<testsuite /g)).to.have.length(6);
    expect(single.match(/<testcase /g)).to.have.length(6);
    expect(single).to.match(
      /<testsuites name="kubedrill 20251128-091402-7f3a2c" tests="6" failures="2" errors="2" time="463.200">/,
    );
    expect(repeat.match(/<testsuite /g)).to.have.length(2);
    expect(repeat.match(/<testcase /g)).to.have.length(6);
    expect(repeat).to.match(/<testsuite name="scenarios\/disk-full.yaml" tests="3" failures="1" errors="0"/);
  });

  it("names attempts only under --repeat", () => {
    expect([...testcases(single).keys()]).to.include("quota-exhaustion");
    expect([...testcases(repeat).keys()]).to.deep.equal([
      "quota-exhaustion (attempt 1/3)",
      "quota-exhaustion (attempt 2/3)",
      "quota-exhaustion (attempt 3/3)",
      "disk-full (attempt 1/3)",
      "disk-full (attempt 2/3)",
      "disk-full (attempt 3/3)",
    ]);
  });

  it("gives each testcase its time, and its suite the provider, runId, targets and each attempt's figures", () => {
    const tc = testcases(single).get("quota-exhaustion")!;
    expect(tc).to.match(/time="67\.640"/);
    const suiteOf = (xml: string, file: string) =>
      new RegExp(`<testsuite name="${file}"[\\s\\S]*?</testsuite>`).exec(xml)![0];
    const quota = suiteOf(single, "scenarios/quota-exhaustion.yaml");
    for (const p of [
      `name="provider" value="kind"`,
      `name="runId" value="20251128-091402-7f3a2c"`,
      `name="file" value="scenarios/quota-exhaustion.yaml"`,
      `name="ttdTargetMs" value="30000"`,
      `name="status" value="passed"`,
      `name="ttdMs" value="8420"`,
      `name="rtoMs" value="46210"`,
    ]) {
      expect(quota).to.include(`<property ${p}/>`);
    }
    expect(suiteOf(single, "scenarios/pvc-unbound.yaml")).to.include(`<property name="rtoMs" value=""/>`);
    const disk = suiteOf(repeat, "scenarios/disk-full.yaml");
    expect(disk).to.include(`<property name="attempt3.status" value="failed"/>`);
    expect(disk).to.include(`<property name="attempt3.rtoMs" value="131000"/>`);
    expect(single).to.match(
      /<testsuite [^>]*>\s*<properties>\s*<property name="provider" value="kind"\/>\s*<property name="runId" value="20251128-091402-7f3a2c"\/>/,
    );
  });

  it("follows the strict Jenkins JUnit schema: no attributes or elements of its own", () => {
    for (const xml of [single, repeat, renderJunit(hostileReport())])
      expect(junitSchemaProblems(xml)).to.deep.equal([]);
    // The checker is strict: the extensions junit.xml used to carry are refused.
    const old = single
      .replace("<testsuites ", '<testsuites skipped="0" timestamp="x" ')
      .replace(
        /<testcase ([^>]*)>/,
        '<testcase $1 file="/abs/x.yaml"><properties><property name="a" value="b"/></properties>',
      );
    expect(junitSchemaProblems(old)).to.include.members([
      "testsuites: attribute skipped is not allowed",
      "testsuites: attribute timestamp is not allowed",
      "testsuites/testsuite/testcase: attribute file is not allowed",
      "testsuites/testsuite/testcase: <properties> is not allowed here (or out of order)",
    ]);
  });

  it("names scenario files relative to the folder of the run, never by absolute path", () => {
    const report = singleRunReport();
    report.scenarios[0]!.file = "/work/proj/scenarios/quota-exhaustion.yaml";
    report.scenarios[1]!.file = "/elsewhere/x.yaml";
    const xml = renderJunit(report, "/work/proj");
    expect(xml).to.include(`<testsuite name="scenarios/quota-exhaustion.yaml"`);
    expect(xml).to.include(`<property name="file" value="scenarios/quota-exhaustion.yaml"/>`);
    expect(xml).not.to.include("/work/proj");
    expect(shownFile(join(PACKAGE_ROOT, "scenarios", "disk-full.yaml"), "/somewhere/else")).to.equal(
      "kubedrill/scenarios/disk-full.yaml",
    );
    expect(shownFile("/elsewhere/x.yaml", "/work/proj")).to.equal("/elsewhere/x.yaml");
  });

  it("fails a TTD miss with the target and the amount in the message, evidence and timeline in the body", () => {
    const tc = testcases(single).get("zone-unavailable")!;
    expect(tc).to.include(`<failure message="TTD 41250ms exceeded target 30000ms by 11250ms" type="target-missed">`);
    expect(tc).to.include("TTD 41.3s (target 30.0s, missed by 11.3s)");
    expect(tc).to.include("Evidence:");
    expect(tc).to.include("affinity-mismatch: FailedScheduling: 0/3 nodes are available");
    expect(tc).to.include("Timeline (relative to fault injection):");
    expect(tc).to.match(/\+42\.0s +remediate +patched checkout affinity/);
  });

  it("fails an RTO miss and marks simulated evidence in the body", () => {
    const tc = testcases(repeat).get("disk-full (attempt 3/3)")!;
    expect(tc).to.include(`<failure message="RTO 131000ms exceeded target 120000ms by 11000ms" type="target-missed">`);
    expect(tc).to.include("[simulated] condition disk-pressure: node kind-worker DiskPressure=True");
    expect(tc).to.include("[simulated] taint disk-pressure: node.kubernetes.io/disk-pressure:NoSchedule");
    expect(tc).to.match(/event pull-failed: Failed: failed to pull/);
    expect(tc).not.to.match(/\[simulated\] event pull-failed/);
    expect(testcases(single).get("pvc-unbound")).to.match(/<failure message="RTO not reached: [^"]*no remediation ran/);
  });

  it('reports errors as <error> and aborts as <error type="aborted">', () => {
    const err = testcases(single).get("cidr-overlap")!;
    expect(err).to.match(
      /<error message="inject: creating IPPool &quot;kubedrill-overlap&quot;: calicoctl exited with code 1: \\x1B\[31merror\\x1B\[0m: [^"]*" type="error">/,
    );
    expect(err).not.to.include("<failure");
    const aborted = testcases(single).get("ingress-conflict")!;
    expect(aborted).to.include(`<error message="aborted by SIGINT at +12034ms during detect" type="aborted">`);
    expect(aborted).to.include(
      "<system-err>cleanup left behind: namespace kd-7f3a2c-ingress-conflict (Terminating)</system-err>",
    );
  });

  it("passed testcases carry no failure, only system-out", () => {
    const tc = testcases(single).get("quota-exhaustion")!;
    expect(tc).not.to.match(/<failure|<error/);
    expect(tc).to.include("<system-out>TTD 8.42s (target 30.0s, met)");
  });

  it("escapes quotes, <, & and replaces characters XML 1.0 forbids", () => {
    const xml = renderJunit(hostileReport());
    expect(xmlProblems(xml)).to.deep.equal([]);
    expect(xml).to.include(
      `<testcase name="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos; a|b \\x00\\x1B[31mred\\x1B[0m \\uFFFF \uFFFD end"`,
    );
    expect(xml).to.include(`<testsuite name="scenarios/&quot;odd&quot; &lt;file&gt; &amp; co.yaml"`);
    expect(xml).to.include(`&lt;script&gt;alert("x")&lt;/script&gt; &amp; 'q' a|b \\x00\\x1B[31mred`);
    expect(xml).not.to.include("<script>");
    expect(xml).not.to.include(HOSTILE);
  });

  it("keeps line breaks in attribute values as character references", () => {
    const report = singleRunReport();
    report.scenarios[1]!.reasons = ["first line\nsecond\tline"];
    expect(renderJunit(report)).to.include(`message="first line&#10;second&#9;line"`);
  });
});
