import { expect } from "chai";
import { markdownReporter, renderMarkdown } from "../../src/reporters/markdown.ts";
import { hostileReport, repeatRunReport, singleRunReport, timedRepeatReport } from "./fixture.ts";

/** Table rows (lines starting with `|`), split on pipes that are not escaped. */
function tableRows(md: string): string[][] {
  return md
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

describe("reporters/markdown", () => {
  it("writes summary.md", () => {
    expect(markdownReporter.fileName).to.equal("summary.md");
  });

  it("has a header line, an alignment line and one row per scenario, all the same width", () => {
    const rows = tableRows(renderMarkdown(singleRunReport()));
    expect(rows).to.have.length(2 + 6);
    expect(rows[0]).to.deep.equal(["Scenario", "Status", "TTD", "TTD target", "RTO", "RTO target", "Signals"]);
    expect(rows.map((r) => r.length)).to.deep.equal(Array(8).fill(7));
    expect(rows.slice(2).map((r) => r[0])).to.deep.equal([
      "quota-exhaustion",
      "zone-unavailable",
      "pvc-unbound",
      "cidr-overlap",
      "disk-full",
      "ingress-conflict",
    ]);
  });

  it("shows each status, TTD and RTO against their targets, and the simulated marker", () => {
    const rows = new Map(tableRows(renderMarkdown(singleRunReport())).map((r) => [r[0], r]));
    expect(rows.get("quota-exhaustion")).to.deep.equal([
      "quota-exhaustion",
      "✅ passed",
      "8.42s",
      "≤ 30.0s",
      "46.2s",
      "≤ 2m00s",
      "real",
    ]);
    expect(rows.get("zone-unavailable")!.slice(1, 4)).to.deep.equal(["❌ failed", "**41.3s** (+11.3s)", "≤ 30.0s"]);
    expect(rows.get("pvc-unbound")![4]).to.equal("**not recovered**");
    expect(rows.get("cidr-overlap")!.slice(1, 3)).to.deep.equal(["⚠️ error", "not measured"]);
    expect(rows.get("ingress-conflict")![1]).to.equal("⛔ aborted");
    expect(rows.get("disk-full")![6]).to.equal("⚠️ simulated");
  });

  it("lists why each non-passing scenario failed, with its reasons", () => {
    const md = renderMarkdown(singleRunReport());
    const why = md.slice(md.indexOf("### Why it failed"));
    expect(why).to.include(
      "- **zone-unavailable** — failed (scenarios/zone-unavailable.yaml)\n  - TTD 41250ms exceeded target 30000ms by 11250ms",
    );
    expect(why).to.include("- **pvc-unbound** — failed");
    expect(why).to.include("- **cidr-overlap** — error");
    expect(why).to.include("  - cleanup left behind: namespace kd-7f3a2c-ingress-conflict (Terminating)");
    expect(why).not.to.include("quota-exhaustion");
  });

  it("shows passed/runs and median / p95 / max under --repeat", () => {
    const md = renderMarkdown(repeatRunReport());
    const rows = tableRows(md);
    expect(rows).to.have.length(2 + 2);
    expect(rows[0]).to.include("TTD median / p95 / max");
    const disk = rows.find((r) => r[0] === "disk-full")!;
    expect(disk.slice(1, 3)).to.deep.equal(["❌ failed", "2/3"]);
    expect(disk[5]).to.equal("1m11s / **2m11s** / **2m11s**");
    expect(disk[7]).to.equal("⚠️ simulated (3/3)");
    expect(md).to.include("- **disk-full (attempt 3/3)** — failed");
    expect(md).to.include("RTO 131000ms exceeded target 120000ms by 11000ms");
  });

  it("escapes pipes, markup and control characters so a name cannot break the table", () => {
    const md = renderMarkdown(hostileReport());
    const rows = tableRows(md);
    expect(rows.map((r) => r.length)).to.deep.equal(Array(8).fill(7));
    expect(rows[3]![0]).to.equal(
      `&lt;script&gt;alert("x")&lt;/script&gt; &amp; 'q' a\\|b \\\\x00\\\\x1B\\[31mred\\\\x1B\\[0m \\\\uFFFF \uFFFD end`,
    );
    expect(md).not.to.include("<script>");
    expect(md).not.to.include("\u001b");
  });

  it("shows the time by phase of each attempt and of the run, when the report has it", () => {
    const md = renderMarkdown(timedRepeatReport());
    const section = md.slice(md.indexOf("### Time by phase"));
    const rows = tableRows(section);
    expect(rows[0]).to.deep.equal([
      "Attempt",
      "setup",
      "steady-state",
      "inject",
      "detect",
      "remediate",
      "recover",
      "verify",
      "cleanup",
      "Total",
    ]);
    expect(rows.slice(2).map((r) => r[0])).to.deep.equal([
      "quota-exhaustion (attempt 1/3)",
      "quota-exhaustion (attempt 2/3)",
      "quota-exhaustion (attempt 3/3)",
      "disk-full (attempt 1/3)",
      "disk-full (attempt 2/3)",
      "disk-full (attempt 3/3)",
      "all attempts",
    ]);
    expect(rows[2]).to.deep.equal([
      "quota-exhaustion (attempt 1/3)",
      "5.08s",
      "9.48s",
      "1.14s",
      "7.91s",
      "22.6s",
      "14.5s",
      "1.62s",
      "5.25s",
      "1m08s",
    ]);
    expect(rows.at(-1)!.at(-1)).to.equal("8m30s");
    expect(section).to.include(
      "Wall time 10m16s: cluster start 41.0s, start-up 1.20s, attempts 8m30s (one at a time). TTD+RTO 7m58s, overhead 2m18s.",
    );
  });

  it("has no time by phase for a report without it (a dry run, an older report)", () => {
    expect(renderMarkdown(repeatRunReport())).not.to.include("Time by phase");
  });
});
