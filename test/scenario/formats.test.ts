import { expect } from "chai";
import { FORMATS } from "../../src/scenario/formats.ts";
import { labelSelectorProblem } from "../../src/scenario/selector.ts";
import { closest, hint } from "../../src/scenario/suggest.ts";

describe("label selectors", () => {
  for (const ok of [
    "app=api",
    "app = api, tier!=db",
    "env in (a, b)",
    "env notin (a)",
    "!canary",
    "app",
    "a==b",
    "app=",
    "example.com/name=v",
    "n>3",
  ]) {
    it(`accepts ${JSON.stringify(ok)}`, () => expect(labelSelectorProblem(ok)).to.equal(undefined));
  }
  const bad: [string, string][] = [
    ["", "is empty"],
    ["a,,b", "requirement 2 is empty"],
    ["app in ()", "the in set is empty"],
    ["app in (a", "unbalanced parentheses"],
    ["x=a b", 'invalid value "a b"'],
    ["app==api==web", 'invalid value "api==web"'],
    ["Foo.com/x=1", 'invalid key prefix "Foo.com"'],
    ["-app=x", 'invalid key "-app"'],
    ["n>x", "> needs an integer value"],
    ["app api", "expected key, key=value"],
  ];
  for (const [text, why] of bad) {
    it(`rejects ${JSON.stringify(text)}: ${why}`, () => expect(labelSelectorProblem(text)).to.include(why));
  }
});

describe("formats", () => {
  it("checks durations with util/duration", () => {
    expect(FORMATS.duration!("1h30m")).to.equal(undefined);
    expect(FORMATS.duration!("30 seconds")).to.equal(
      'must be a duration such as 500ms, 30s, 2m or 1h30m (got "30 seconds")',
    );
  });
  it("bounds durations at 24h", () => {
    expect(FORMATS.duration!("24h")).to.equal(undefined);
    expect(FORMATS.duration!("23h59m60s")).to.equal(undefined);
    expect(FORMATS.duration!("25h")).to.equal('must be at most 24h (got "25h", 90000000ms)');
    expect(FORMATS.duration!("99999h")).to.equal('must be at most 24h (got "99999h", 359996400000ms)');
    expect(FORMATS.duration!("1e400ms")).to.match(/^must be a duration such as/);
    expect(FORMATS.duration!(`1${"0".repeat(400)}ms`)).to.match(
      /^must be at most 24h \(got "10{39}\.\.\.", beyond any number\)$/,
    );
  });
  it("names the reason a regular expression does not compile", () => {
    expect(FORMATS.regex!("^ok$")).to.equal(undefined);
    expect(FORMATS.regex!("(a")).to.equal('invalid regular expression "(a": Unterminated group');
  });
  it("checks DNS-1123 labels", () => {
    expect(FORMATS["dns1123-label"]!("quota-exhaustion")).to.equal(undefined);
    for (const bad of ["Quota", "-a", "a-", "a_b", "a".repeat(64)])
      expect(FORMATS["dns1123-label"]!(bad)).to.include("DNS-1123 label");
  });
});

describe("suggestions", () => {
  it("finds typos, including swapped letters", () => {
    expect(closest("scael", ["scale", "delete"])).to.equal("scale");
    expect(closest("podsRedy", ["podsReady", "available"])).to.equal("podsReady");
    expect(closest("zzz", ["scale", "delete"])).to.equal(undefined);
  });
  it("lists the candidates when nothing is close", () => {
    expect(hint("foo", ["detectWithin", "recoverWithin"])).to.equal(" (expected one of: detectWithin, recoverWithin)");
  });
});
