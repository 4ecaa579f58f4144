import { expect } from "chai";
import { renderHtml } from "../../src/reporters/html.ts";
import { renderJson } from "../../src/reporters/json.ts";
import { renderJunit } from "../../src/reporters/junit.ts";
import { renderMarkdown } from "../../src/reporters/markdown.ts";
import type { RunReport } from "../../src/report/types.ts";
import { junitSchemaProblems } from "./junit-schema.ts";
import { xmlProblems } from "./xml-check.ts";
import { SKIP_REASON, skippedRunReport } from "./fixture.ts";

/** The lines of one `### title` section of summary.md, up to the next heading. */
function section(md: string, title: string): string[] {
  const lines = md.split("\n");
  const start = lines.indexOf(`### ${title}`);
  if (start === -1) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith("#"));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== "");
}

const row = (md: string, name: string) =>
  md
    .split("\n")
    .find((l) => l.startsWith(`| ${name} |`))
    ?.slice(2, -2)
    .split(" | ");

describe("reporters: a skipped attempt (the cluster lacks what the scenario requires)", () => {
  it("report.json keeps it as the engine made it: status skipped, the reason, nothing measured or left", () => {
    const json = JSON.parse(renderJson(skippedRunReport({ repeat: 2 }))) as RunReport;
    expect(json.status).to.equal("skipped");
    expect(json.scenarios.map((r) => [r.attempt, r.status, r.reasons, r.ttdMs, r.rtoMs, r.namespace])).to.deep.equal([
      [1, "skipped", [SKIP_REASON], null, null, ""],
      [2, "skipped", [SKIP_REASON], null, null, ""],
    ]);
    expect(json.scenarios[0]!.cleanup).to.deep.equal({ ok: true, leftovers: [] });
    expect(json.aggregates[0]).to.deep.include({ runs: 2, passed: 0, status: "skipped" });
  });

  describe("summary.md", () => {
    it("says in its title that nothing ran when every scenario was skipped, and why in a section of its own", () => {
      const md = renderMarkdown(skippedRunReport({ repeat: 2 }));
      expect(md.split("\n")[0]).to.equal(
        "## ⏭️ kubedrill skipped: every scenario was skipped (the cluster lacks what it requires): none ran",
      );
      expect(md).to.include(" · 2 attempts: 2 skipped · ");
      expect(row(md, "image-pull-auth")).to.deep.equal([
        "image-pull-auth",
        "⏭️ skipped",
        "0/2",
        "not measured",
        "≤ 30.0s",
        "not measured",
        "≤ 1m00s",
        "—",
      ]);
      expect(section(md, "Skipped (not started, nothing created)")).to.deep.equal([
        `- **image-pull-auth** (scenarios/image-pull-auth.yaml, 2 attempts): ${SKIP_REASON}`,
      ]);
      expect(section(md, "Why it failed"), "a skip is no failure").to.deep.equal([]);
    });

    it("counts the skipped beside the passed when others ran", () => {
      const md = renderMarkdown(skippedRunReport({ alsoRan: true }));
      expect(md.split("\n")[0]).to.equal("## ✅ kubedrill passed: 1 of 2 scenarios passed, 1 skipped");
      expect(md).to.include(" · 2 attempts: 1 passed, 1 skipped · ");
      expect(row(md, "quota-exhaustion")![1]).to.equal("✅ passed");
    });
  });

  describe("report.html", () => {
    it("shows the skipped badge and count, the headline, and a card with the reason and no chart", () => {
      const page = renderHtml(skippedRunReport({ alsoRan: true }));
      expect(page).to.include(`<h1><span class="badge passed">passed</span> 1 of 2 scenarios passed, 1 skipped</h1>`);
      expect(page).to.include(`<span class="count skipped"><b>1</b>skipped</span>`);
      const card = page.slice(page.indexOf(`<article class="run skipped"`), page.indexOf("</article>"));
      expect(card).to.include(`<span class="badge skipped">skipped</span>`);
      expect(card).to.include("not started, nothing created, nothing measured");
      expect(card).to.include(`<ul class="reasons skipped"><li>${SKIP_REASON}</li></ul>`);
      expect(card).to.not.include("<svg");
      expect(page).to.match(/\.badge\.skipped \{/);
    });

    it("says that none ran when every scenario was skipped", () => {
      const page = renderHtml(skippedRunReport({ repeat: 3 }));
      expect(page).to.include(
        `<h1><span class="badge skipped">skipped</span> every scenario was skipped (the cluster lacks what it requires): none ran</h1>`,
      );
      expect(page).to.include("3 attempts skipped: not started, nothing measured");
    });
  });

  describe("junit.xml", () => {
    it("marks each skipped attempt <skipped> with the reason as its text, counted as skipped, not failed or errored", () => {
      const xml = renderJunit(skippedRunReport({ repeat: 2, alsoRan: true }), "/work");
      expect(xmlProblems(xml)).to.deep.equal([]);
      expect(junitSchemaProblems(xml)).to.deep.equal([]);
      expect(xml).to.match(/<testsuites [^>]*tests="3" failures="0" errors="0"/);
      expect(xml).to.match(
        /<testsuite name="scenarios\/image-pull-auth.yaml" tests="2" failures="0" errors="0" skipped="2"/,
      );
      expect(xml).to.match(/<testsuite name="scenarios\/quota-exhaustion.yaml" [^>]*skipped="0"/);
      expect(xml.match(/<skipped>([^<]*)<\/skipped>/g)).to.deep.equal([
        `<skipped>${SKIP_REASON}</skipped>`,
        `<skipped>${SKIP_REASON}</skipped>`,
      ]);
      expect(xml).to.include(`<property name="attempt2.status" value="skipped"/>`);
    });
  });
});
