import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem } from "../../src/errors.ts";
import type { SourceProblem } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "malformed");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

interface Expectation {
  file?: string;
  line: number;
  column: number;
  text: string;
}

/** `# expect: [file:]line:col field message` lines at the top of a fixture. */
function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split("\n")) {
    const m = /^# expect: (?:(\S+?):)?(\d+):(\d+) (.+)$/.exec(line);
    if (!m) break;
    out.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), text: m[4]! });
  }
  return out;
}

const shown = (p: SourceProblem) => `${p.field ? `${p.field} ` : ""}${p.message}`;

describe("malformed scenario corpus", () => {
  it("has at least 25 different malformed files", () => {
    expect(files.length).to.be.at.least(25);
    const bodies = files.map((f) =>
      readFileSync(join(dir, f), "utf8")
        .replace(/^(# expect:.*\n)+/, "")
        .replace(/name: m-[\w-]+/, ""),
    );
    expect(new Set(bodies).size).to.equal(files.length);
  });

  for (const name of files) {
    it(`${name} reports exactly its expected problems`, async () => {
      const path = join(dir, name);
      const wanted = expectations(readFileSync(path, "utf8"));
      expect(wanted, "the fixture needs a first-line # expect: comment").to.have.length.above(0);
      const { problems, built } = await checkScenarios([path], { cwd: process.cwd() });
      expect(built, "the pipeline must accept nothing").to.deep.equal([]);
      for (const w of wanted) {
        const file = w.file ? join(dir, w.file) : path;
        const hit = problems.find(
          (p) => p.file === file && p.line === w.line && p.column === w.column && shown(p).includes(w.text),
        );
        expect(
          hit,
          `expected ${w.file ?? name}:${w.line}:${w.column} "${w.text}" among:\n${problems.map(formatProblem).join("\n")}`,
        ).to.not.equal(undefined);
      }
      expect(problems.map(formatProblem), "no problems beyond the expected ones").to.have.length(wanted.length);
    });
  }
});
