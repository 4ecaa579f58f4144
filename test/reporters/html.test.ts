import { expect } from "chai";
import { htmlReporter, renderHtml } from "../../src/reporters/html.ts";
import { hostileReport, makeRun, repeatRunReport, singleRunReport, timedRepeatReport } from "./fixture.ts";
import { spread, timelineSvg } from "../../src/reporters/html-chart.ts";
import { xmlProblems } from "./xml-check.ts";

const svgs = (page: string) => page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe("reporters/html", () => {
  const single = renderHtml(singleRunReport());
  const repeat = renderHtml(repeatRunReport());

  it("writes report.html as one HTML document", () => {
    expect(htmlReporter.fileName).to.equal("report.html");
    expect(single.startsWith("<!doctype html>")).to.equal(true);
    expect(single.trimEnd().endsWith("</html>")).to.equal(true);
  });

  it("draws one SVG timeline per scenario attempt", () => {
    expect(svgs(single)).to.have.length(6);
    expect(svgs(repeat)).to.have.length(6);
    expect(single.match(/<svg/g)).to.have.length(6);
  });

  it("is self-contained: no scripts, links, imports or remote references", () => {
    for (const page of [single, repeat]) {
      expect(page).not.to.match(/<script/i);
      expect(page).not.to.match(/https?:\/\//i);
      expect(page).not.to.match(/<link|@import|url\(|@font-face|<img|<iframe/i);
      expect(page).to.include("<style>");
    }
  });

  it("draws both target lines, labelled, in every chart", () => {
    const [quota, zone] = svgs(single);
    for (const svg of svgs(single)) {
      expect(svg.match(/<g class="target t-ttd"><line [^>]*\/><text [^>]*>TTD target /g)).to.have.length(1);
      expect(svg.match(/<g class="target t-rto"><line [^>]*\/><text [^>]*>RTO target /g)).to.have.length(1);
    }
    expect(quota).to.include(">TTD target 30.0s</text>");
    expect(quota).to.include(">RTO target 2m00s</text>");
    expect(zone).to.include(">RTO target 3m00s</text>");
    expect(single).to.match(/svg \.target line \{[^}]*stroke-dasharray/);
    expect(single).to.match(/svg \.t-ttd line \{ stroke: var\(--ttd\)/);
    expect(single).to.match(/svg \.t-rto line \{ stroke: var\(--rto\)/);
  });

  it("draws measured TTD and RTO as bars, the part over target in red, and the event markers", () => {
    const [quota, zone, pvc] = svgs(single);
    expect(quota).to.match(/<rect class="bar ttd"/);
    expect(quota).to.match(/<rect class="bar rto"/);
    expect(quota).not.to.include(`class="bar over"`);
    expect(zone).to.include(`class="bar over"`);
    expect(zone).to.include("TTD 41.3s · 11.3s over target");
    expect(pvc).to.include("RTO not recovered · target 1m30s missed");
    for (const m of ["m-inject", "m-detect", "m-remediate", "m-recover"])
      expect(quota).to.include(`class="marker ${m}"`);
    expect(quota).to.include(">detected +8.42s</text>");
    expect(quota).to.include(">recovered +46.2s</text>");
    expect(pvc).not.to.include("m-recover");
  });

  it("draws phase bands on a time axis relative to fault injection", () => {
    const [quota] = svgs(single);
    for (const p of ["setup", "steady-state", "inject", "detect", "remediate", "recover", "verify", "cleanup"])
      expect(quota).to.include(`class="band ph-${p}"`);
    expect(quota).to.match(
      /class="grid zero"[^>]*\/><line class="tick"[^>]*\/><text class="tick-label"[^>]*>0s<\/text>/,
    );
    expect(quota).to.include(">\u221215s</text>");
  });

  it("marks simulated evidence visibly, and only simulated evidence", () => {
    const charts = svgs(single);
    // Two simulated items seen 20ms apart share one glyph, labelled with their count.
    expect(charts[4]!.match(/class="ev-sim"/g)).to.have.length(1);
    expect(charts[4]!.match(/class="ev"/g)).to.have.length(1);
    expect(charts[4]).to.include(">\u00d72 simulated</text>");
    expect(charts[4]).to.match(/\[simulated\] condition disk-pressure[^<]*\n[^<]*\[simulated\] taint disk-pressure/);
    expect(charts[0]).not.to.include("ev-sim");
    expect(single.match(/<tr class="simulated">/g)).to.have.length(2);
    expect(single).to.include(`<span class="badge sim">simulated evidence</span>`);
  });

  it("shows the run id, provider and status counts in the header", () => {
    expect(single).to.include("<dd>20251128-091402-7f3a2c</dd>");
    expect(single).to.include("<dd>kind</dd>");
    expect(single).to.include(
      `<span class="count passed"><b>2</b>passed</span><span class="count failed"><b>2</b>failed</span><span class="count error"><b>1</b>error</span><span class="count aborted"><b>1</b>aborted</span>`,
    );
    expect(single).to.include("Cleanup left resources behind");
  });

  it("groups attempts under --repeat with median / p95 / max", () => {
    expect(repeat.match(/<section class="group"/g)).to.have.length(2);
    expect(repeat).to.include(
      "2 of 3 attempts passed · TTD median 13.0s, p95 13.0s, max 13.0s · RTO median 1m11s, p95 2m11s, max 2m11s",
    );
    expect(repeat).to.include("<h3>disk-full (attempt 3/3)</h3>");
  });

  it("writes every chart as well-formed XML", () => {
    for (const svg of [...svgs(single), ...svgs(repeat), ...svgs(renderHtml(hostileReport()))])
      expect(xmlProblems(svg)).to.deep.equal([]);
  });

  it("escapes everything that comes from the report", () => {
    const page = renderHtml(hostileReport());
    expect(page).not.to.match(/<script/i);
    expect(page).to.include(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; a|b \\x00\\x1B[31mred\\x1B[0m \\uFFFF \uFFFD end",
    );
    expect(page).to.include("scenarios/&quot;odd&quot; &lt;file&gt; &amp; co.yaml");
    expect(page).not.to.include("\u001b");
    expect(page).not.to.include("\u0000");
  });
});

describe("reporters/html timeline with a fast recovery next to long targets", () => {
  const T0 = Date.parse("2025-11-28T09:14:02.118Z");
  const run = makeRun({
    name: "quick",
    status: "passed",
    injectAt: T0,
    ttdMs: 20,
    rtoMs: 50,
    targets: { ttdMs: 60_000, rtoMs: 60_000 },
    timeline: [
      [-3200, "setup", "applied"],
      [0, "inject", "scaled"],
      [20, "detect", "seen"],
      [30, "remediate", "fixed"],
      [50, "verify", "holds"],
      [900, "cleanup", "gone"],
    ],
    evidence: [
      [12, "event", "event FailedScheduling", "0/6 nodes are available", false],
      [20, "finding", "finding InsufficientResources", "asks 8 CPU", false],
      [20, "probe", "probeFails connectivity", "cannot reach (simulated)", true],
    ],
  });
  const svg = timelineSvg(run);

  it("keeps the inject, detect, remediation and recovery markers apart, each led back to its time", () => {
    const glyphs = [...svg.matchAll(/<path d="M([\d.]+) /g)].map((m) => Number(m[1]));
    expect(glyphs).to.have.length(4);
    for (let i = 1; i < glyphs.length; i++) expect(glyphs[i]! - glyphs[i - 1]!).to.be.at.least(18);
    expect(svg.match(/class="leader"/g)).to.have.length(3);
  });

  it("draws evidence seen at the same moment as one glyph with its count, every item in its tooltip", () => {
    expect(svg.match(/class="ev-sim"/g)).to.have.length(1);
    expect(svg).not.to.match(/class="ev"/);
    expect(svg).to.include(">\u00d73, 1 simulated</text>");
    expect(svg).to.match(
      /event FailedScheduling[^<]*\n[^<]*finding InsufficientResources[^<]*\n[^<]*\[simulated\] probe/,
    );
  });

  it("spread() moves glyphs only as far as needed and stays inside the chart", () => {
    expect(spread([100, 300, 500], 900)).to.deep.equal([100, 300, 500]);
    expect(spread([100, 101, 102], 900)).to.deep.equal([100, 118, 136]);
    expect(spread([895, 896], 900)).to.deep.equal([882, 900]);
  });
});

describe("reporters/html time by phase", () => {
  it("shows the time by phase in one small table, only when the report has it", () => {
    const page = renderHtml(timedRepeatReport());
    const table = page.match(/<table class="phases">[\s\S]*?<\/table>/)![0];
    expect(table.match(/<tr>/g)).to.have.length(1 + 6 + 1);
    expect(table).to.include(`<th class="num">detect</th>`);
    expect(table).to.include(`<td class="name">all attempts</td>`);
    expect(page).to.include("cluster start 41.0s");
    expect(xmlProblems(table)).to.deep.equal([]);
    expect(renderHtml(repeatRunReport())).not.to.include("Time by phase");
  });
});
