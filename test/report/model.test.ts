import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { renderHtml } from "../../src/reporters/html.ts";
import { renderJson } from "../../src/reporters/json.ts";
import { renderMarkdown } from "../../src/reporters/markdown.ts";
import { repeatRunReport } from "../reporters/fixture.ts";

const SRC = path.resolve(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "go" ? [] : sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Files under src/ that declare `name` as a function or a const arrow. */
function declaring(name: string): string[] {
  const decl = new RegExp(`(?:function\\s+${name}\\s*[(<]|const\\s+${name}\\s*(?::[^=]+)?=\\s*\\()`);
  return sources(SRC)
    .filter((f) => decl.test(readFileSync(f, "utf8")))
    .map((f) => path.relative(SRC, f));
}

describe("report model", () => {
  it("has one implementation of the statistics, statuses and aggregates, in src/report/", () => {
    const expected: Record<string, string> = {
      median: "report/stats.ts",
      percentile: "report/stats.ts",
      durationStats: "report/stats.ts",
      worst: "report/status.ts",
      statusCounts: "report/status.ts",
      aggregate: "report/aggregate.ts",
      verdict: "report/verdict.ts",
      iso: "report/time.ts",
    };
    for (const [name, file] of Object.entries(expected)) expect(declaring(name), name).to.deep.equal([file]);
  });

  it("summary.md, report.html and report.json show exactly the aggregates the model holds", () => {
    const report = repeatRunReport();
    const disk = report.aggregates.find((a) => a.name === "disk-full")!;
    // Figures no computation from the attempts would give: a reporter that recomputed would show others.
    disk.passed = 1;
    disk.rto = { count: 3, median: 77777, p95: 88888, max: 99999 };
    disk.ttd = { count: 3, median: 1111, p95: 2222, max: 3333 };

    const md = renderMarkdown(report);
    expect(md).to.include(
      "| disk-full | ❌ failed | 1/3 | 1.11s / 2.22s / 3.33s | ≤ 20.0s | 1m18s / 1m29s / 1m40s | ≤ 2m00s |",
    );
    expect(md).not.to.include("1m11s");

    const page = renderHtml(report);
    expect(page).to.include("1 of 3 attempts passed · TTD median 1.11s, p95 2.22s, max 3.33s · RTO median 1m18s");
    expect(page).to.include(`<td class="num">1/3</td><td class="num">1.11s / 2.22s / 3.33s</td>`);

    expect(JSON.parse(renderJson(report)).aggregates).to.deep.equal(report.aggregates);
  });
});
