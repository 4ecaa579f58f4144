import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceProblem } from "../../src/errors.ts";
import { parseScenarioText } from "../../src/scenario/load.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { LIMITS } from "../../src/scenario/limits.ts";

const minimal = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "scenarios", "minimal.yaml");
const HEAD = "apiVersion: kubedrill.io/v1alpha1\n";
const line = (p: SourceProblem) => `${p.line}:${p.column} ${p.message}`;

/** Hostile and broken input: each is refused with exactly the located problem named. */
const CASES: [name: string, text: string, expected: RegExp][] = [
  [
    "an alias bomb",
    ["a: &a [x,x,x,x,x,x,x,x,x]", "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]"]
      .concat(["d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]", "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]"])
      .join("\n"),
    /^1:1 aliases expand to too many values \(more than 1000\)/,
  ],
  ["an alias without an anchor", `${HEAD}kind: *nope\n`, /^2:7 alias \*nope has no anchor &nope before it$/],
  [
    "more aliases than the limit",
    `x: &x {a: 1}\nl:\n${Array.from({ length: LIMITS.aliases + 5 }, () => "  - *x").join("\n")}\n`,
    new RegExp(`^${LIMITS.aliases + 3}:5 uses more than ${LIMITS.aliases} aliases`),
  ],
  [
    "deep block nesting",
    Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}a:`).join("\n") + " 1\n",
    /^65:65 nests maps and lists more than 64 levels deep/,
  ],
  [
    "deep flow nesting",
    `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    /^1:67 nests maps and lists more than 64 levels/,
  ],
  ["an unknown tag", `${HEAD}kind: !Ref Scenario\n`, /^2:12 uses the YAML tag !Ref; scenario files are plain YAML/],
  ["a binary tag", `${HEAD}kind: !!binary U2NlbmFyaW8=\n`, /uses the YAML tag tag:yaml.org,2002:binary/],
  ["a NUL byte", `${HEAD}kind: Scen\u0000ario\n`, /^2:11 contains the control character U\+0000/],
  ["an escape character", `${HEAD}kind: \u001b[31mScenario\n`, /^2:7 contains the control character U\+001b/],
  [
    "over the size limit",
    `# ${"x".repeat(LIMITS.bytes)}\n`,
    /^1:1 is 1048579 bytes; a scenario file may be at most 1048576/,
  ],
];

describe("hostile and broken scenario files", () => {
  for (const [name, text, expected] of CASES) {
    it(`refuses ${name} with one located problem`, () => {
      const { scenario, problems } = parseScenarioText(text, "hostile.yaml");
      expect(scenario).to.equal(undefined);
      expect(problems.map(line)).to.have.length(1);
      expect(line(problems[0]!)).to.match(expected);
      expect(problems[0]!.file).to.equal("hostile.yaml");
    });
  }

  it("reads CR-only and CRLF line endings like LF", async () => {
    const text = await readFile(minimal, "utf8");
    for (const eol of ["\r", "\r\n"]) {
      const { scenario, problems } = parseScenarioText(text.replace(/\n/g, eol), "minimal.yaml");
      expect(problems).to.deep.equal([]);
      expect(scenario?.metadata.name).to.equal("minimal");
    }
  });

  it(`reports at most ${LIMITS.problems} problems per file, then counts the rest`, () => {
    const steps = Array.from({ length: 120 }, (_, i) => `    - bogus${i}: {}`).join("\n");
    const text = `${HEAD}kind: Scenario\nmetadata: {name: x}\nspec:\n  fault:\n${steps}\n`;
    const { problems } = parseScenarioText(text, "many.yaml");
    expect(problems).to.have.length(LIMITS.problems + 1);
    expect(problems[LIMITS.problems]!.message).to.match(/^\.\.\. and \d+ more problems in this file$/);
  });

  it("refuses a file that is not UTF-8, naming the byte and where it is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kd-hostile-"));
    try {
      const file = join(dir, "latin1.yaml");
      await writeFile(
        file,
        Buffer.concat([Buffer.from(`${HEAD}kind: Sc`), Buffer.from([0xe9]), Buffer.from("nario\n")]),
      );
      const { built, problems } = await checkScenarios([file], { cwd: dir });
      expect(built).to.deep.equal([]);
      expect(problems.map(line)).to.deep.equal(["2:9 is not valid UTF-8 (byte 0xe9 at offset 42); save it as UTF-8"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("accepts a UTF-8 byte-order mark and multi-byte characters", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kd-hostile-"));
    try {
      const text = await readFile(minimal, "utf8");
      const file = join(dir, "bom.yaml");
      await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`# zoné ✓ 🚀\n${text}`)]));
      const { built, problems } = await checkScenarios([file], { cwd: dir });
      expect(problems).to.deep.equal([]);
      expect(built.map((b) => b.scenario.metadata.name)).to.deep.equal(["minimal"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
