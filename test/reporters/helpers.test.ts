import { expect } from "chai";
import { html, mdText, replaceIllegalChars, xmlAttr, xmlText } from "../../src/reporters/escape.ts";
import { offset, unmeasured, whyNotPassed } from "../../src/reporters/format.ts";
import { scale, tickLabel } from "../../src/reporters/html-scale.ts";
import { singleRunReport } from "./fixture.ts";

describe("reporters helpers", () => {
  describe("escaping", () => {
    it("spells out characters XML 1.0 forbids and keeps the ones it allows", () => {
      expect(replaceIllegalChars("a\u0000b\u001bc\u0008\uFFFE\uFFFF")).to.equal("a\\x00b\\x1Bc\\x08\\uFFFE\\uFFFF");
      expect(replaceIllegalChars("tab\tlf\ncr\r é 漢 😀 \u0085")).to.equal("tab\tlf\ncr\r é 漢 😀 \u0085");
      expect(replaceIllegalChars("lone \uD83D and \uDE00")).to.equal("lone \uFFFD and \uFFFD");
    });

    it("escapes for XML text, XML attributes, HTML and markdown", () => {
      expect(xmlText(`a<b>&"'`)).to.equal(`a&lt;b&gt;&amp;"'`);
      expect(xmlAttr(`a<b>&"'\n`)).to.equal("a&lt;b&gt;&amp;&quot;&apos;&#10;");
      expect(html(`<a href="x">&'`)).to.equal("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
      expect(mdText("a|b\nc *d* `e` <f> \\")).to.equal("a\\|b c \\*d\\* \\`e\\` &lt;f&gt; \\\\");
    });
  });

  describe("whyNotPassed", () => {
    it("prefers the runner's reasons", () => {
      expect(whyNotPassed(singleRunReport().scenarios[1]!)).to.deep.equal([
        "TTD 41250ms exceeded target 30000ms by 11250ms",
      ]);
      expect(whyNotPassed(singleRunReport().scenarios[0]!)).to.deep.equal([]);
    });

    it("says which target was missed and by how much when the runner gave no reason", () => {
      const run = singleRunReport().scenarios[1]!;
      run.reasons = [];
      run.rtoMs = null;
      expect(whyNotPassed(run)).to.deep.equal([
        "TTD 41250ms exceeded target 30000ms by 11250ms",
        "RTO not reached (target 180000ms)",
      ]);
      run.status = "error";
      expect(whyNotPassed(run)).to.deep.equal(["scenario error (no reason recorded)"]);
    });

    it("does not call a value cut short by an error or abort a miss", () => {
      expect(unmeasured("failed", "TTD")).to.deep.equal({ text: "not detected", miss: true });
      expect(unmeasured("aborted", "RTO")).to.deep.equal({ text: "not measured", miss: false });
    });
  });

  describe("time axis", () => {
    it("labels offsets and ticks relative to injection", () => {
      expect(offset(-5000)).to.equal("\u22125.00s");
      expect(offset(0)).to.equal("0s");
      expect(offset(98400)).to.equal("+1m38s");
      expect(tickLabel(90000, 15000)).to.equal("+90s");
      expect(tickLabel(-15000, 15000)).to.equal("\u221215s");
      expect(tickLabel(120000, 60000)).to.equal("+2m");
    });

    it("covers the domain with round ticks", () => {
      const s = scale(-14560, 120000, 100, 1000);
      expect(s.ticks.every((t) => t % 15000 === 0 && t >= s.lo && t <= s.hi)).to.equal(true);
      expect(s.ticks[0]).to.equal(-15000);
      expect(s.ticks).to.include(0);
      expect(s.ticks.at(-1)).to.equal(120000);
      expect(s.ticks.length).to.be.within(6, 12);
      expect(s.x(s.lo)).to.equal(100);
      expect(s.x(s.hi)).to.equal(1000);
    });
  });
});
