import { expect } from "chai";
import { xmlProblems } from "./xml-check.ts";

describe("reporters test helper: xmlProblems", () => {
  it("accepts a well-formed document", () => {
    expect(
      xmlProblems(
        `<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; &#10;" y='2'><b/><!-- c --><c>t &lt; &#x41;</c></a>\n`,
      ),
    ).to.deep.equal([]);
  });

  for (const [what, doc] of [
    ["an unclosed tag", "<a><b></a>"],
    ["a missing end tag", "<a><b/>"],
    ["an undefined entity", "<a>&nbsp;</a>"],
    ["a bare ampersand", "<a>Tom & Jerry</a>"],
    ["'<' in an attribute", `<a x="1<2"/>`],
    ["an unescaped '<' in text", "<a>1 < 2</a>"],
    ["an illegal control character", "<a>\u001b[31m</a>"],
    ["a reference to an illegal character", "<a>&#0;</a>"],
    ["two roots", "<a/><b/>"],
    ["a duplicate attribute", `<a x="1" x="2"/>`],
    ["an unquoted attribute", "<a x=1/>"],
    ["a lone surrogate", "<a>\uD800</a>"],
  ] as const) {
    it(`rejects ${what}`, () => {
      expect(xmlProblems(doc)).to.have.length.above(0);
    });
  }
});
