import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderReference, schemaFileText } from "../../src/catalogue/reference.ts";
import { PROBES } from "../../src/probes/index.ts";
import { scenarioSchema } from "../../src/scenario/catalogue.ts";
import { SIGNALS } from "../../src/signals/index.ts";
import { STEPS } from "../../src/steps/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (p: string) => readFileSync(join(root, p), "utf8");

describe("generated docs and schema", () => {
  it("docs/reference.md is what `npm run docs` generates from the plug-ins (run it after changing one)", () => {
    expect(read("docs/reference.md") === renderReference(), "docs/reference.md is stale: run npm run docs").to.equal(
      true,
    );
  });

  it("the reference has a section, with every parameter, for every step, probe and signal", () => {
    const text = renderReference();
    for (const p of [...STEPS, ...PROBES, ...SIGNALS]) {
      const at = text.indexOf(`\n### ${p.name}\n`);
      expect(at, `${p.kind} ${p.name}`).to.be.greaterThan(-1);
      const body = text.slice(at, text.indexOf("\n### ", at + 5));
      for (const param of Object.keys(p.params.properties))
        expect(body, `${p.name}.${param}`).to.include(`\`${param}\``);
    }
  });

  it("schema/scenario.schema.json is the schema kubedrill validates with (run npm run docs after a change)", () => {
    expect(read("schema/scenario.schema.json") === schemaFileText(), "schema file is stale: run npm run docs").to.equal(
      true,
    );
    expect(JSON.parse(read("schema/scenario.schema.json"))).to.deep.equal(scenarioSchema);
  });

  it("every shipped scenario points editors at the shipped schema on its first line, and cites docs/failures.md", () => {
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml"));
    expect(files.length).to.be.greaterThan(0);
    const catalogue = read("docs/failures.md");
    for (const f of files) {
      const [first, second] = read(join("scenarios", f)).split("\n");
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first!);
      expect(m, f).to.not.equal(null);
      expect(resolve(root, "scenarios", m![1]!), f).to.equal(join(root, "schema", "scenario.schema.json"));
      const cited = /^# docs\/failures\.md (\d+\.\d+)/.exec(second!);
      expect(cited, `${f} cites an entry`).to.not.equal(null);
      expect(catalogue, `${f} cites ${cited![1]}`).to.include(`### ${cited![1]} `);
    }
  });

  it("nothing cites the FAILURES.md that is not in the repository", () => {
    for (const f of ["README.md", ...readdirSync(join(root, "scenarios")).map((f) => join("scenarios", f))]) {
      if (!f.endsWith(".md") && !f.endsWith(".yaml")) continue;
      expect(read(f), f).to.not.include("FAILURES.md");
    }
  });
});
