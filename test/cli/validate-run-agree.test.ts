import { expect } from "chai";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIO } from "../../src/cli/command.ts";
import { runCommand } from "../../src/cli/commands/run.ts";
import { validateCommand } from "../../src/cli/commands/validate.ts";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { scenarioNamespace } from "../../src/util/ids.ts";
import { ValidationError, type SourceProblem } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { instantiate } from "../../src/pipeline/instantiate.ts";
import { memoryLogger } from "../../src/util/log.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const yaml = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `${dir}/${f}`);
/** Scenario files that must be valid: the shipped suite and the ones integration specs run. */
const valid = [...yaml("scenarios"), ...yaml("test/fixtures/recreate"), ...yaml("test/fixtures/scenarios")];
const files = [...yaml("test/fixtures/malformed"), ...valid];

function io(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  const log = memoryLogger();
  return { lines, out: (t) => lines.push(t), log, signal: new AbortController().signal, env: {}, cwd: root };
}

/** `kubedrill validate --output json <file>`: its exit status and problems. */
async function validate(file: string): Promise<{ code: number; problems: SourceProblem[] }> {
  const out = io();
  const code = await validateCommand.run({ paths: [file], output: "json" }, out);
  return { code, problems: (JSON.parse(out.lines.join("\n")) as { problems: SourceProblem[] }).problems };
}

/** `kubedrill run --dry-run <file>`: stops before any cluster work; its exit status and problems. */
async function dryRun(file: string): Promise<{ code: number; problems: SourceProblem[] }> {
  const args = { paths: [file], provider: "auto", name: "x", repeat: 1, parallel: 1, dryRun: true, remediate: true };
  try {
    return { code: await runCommand.run(args, io()), problems: [] };
  } catch (err) {
    return { code: exitCodeFor(err), problems: err instanceof ValidationError ? err.problems : [] };
  }
}

describe("validate and run agree on every malformed and every shipped scenario", () => {
  it("covers the whole corpus and every shipped scenario", () => {
    expect(files.filter((f) => f.startsWith("scenarios/"))).to.have.length.at.least(8);
    expect(files).to.include("test/fixtures/malformed/event-selector-unknown-kind.yaml");
  });

  for (const file of files) {
    it(file, async () => {
      const v = await validate(file);
      const r = await dryRun(file);
      expect(r, "run --dry-run and validate: same exit status and same problems").to.deep.equal(v);
      expect(v.code, JSON.stringify(v.problems)).to.equal(valid.includes(file) ? 0 : 2);
    });
  }

  it("binding an accepted scenario to a real namespace and cluster facts is accepted too", async () => {
    const checked = await checkScenarios(["scenarios/"], { cwd: root, runId: "20260101-000000-abcd" });
    expect(checked.problems).to.deep.equal([]);
    const reads = checked.sources.reads;
    const distinct = yaml("scenarios").length + yaml("scenarios/manifests").length;
    expect(reads, "each scenario and manifest file read once (scenarios/manifests/shop.yaml by 8 scenarios)").to.equal(
      distinct,
    );
    for (const b of checked.built) {
      const bound = instantiate(b.scenario, {
        namespace: scenarioNamespace(b.scenario.metadata.name, "zz9zz"),
        runId: checked.runId,
        vars: { provisioner: "kubedrill.io/local-volume" },
        registries: defaultRegistries(),
        sources: checked.sources,
      });
      expect(bound.fault.map((s) => s.describe())).to.have.length(b.fault.length);
    }
    expect(checked.sources.reads, "binding reads no file again").to.equal(reads);
  });
});
