import { expect } from "chai";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import type { CliIO } from "../../src/cli/command.ts";
import { schemaCommand } from "../../src/cli/commands/schema.ts";
import { validateCommand } from "../../src/cli/commands/validate.ts";
import type { ValidateArgs } from "../../src/cli/commands/validate.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { generateSchema } from "../../src/scenario/catalogue.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function fakeIO(): CliIO & { lines: string[]; logger: ReturnType<typeof memoryLogger> } {
  const lines: string[] = [];
  const logger = memoryLogger();
  return {
    lines,
    logger,
    out: (t) => lines.push(t),
    log: logger,
    signal: new AbortController().signal,
    env: {},
    cwd: root,
  };
}

async function parse(argv: string[]): Promise<ValidateArgs> {
  const y = validateCommand.builder(
    yargs(argv)
      .command("$0 [paths..]", "", () => {})
      .exitProcess(false)
      .fail(false),
  );
  return (await y.parse()) as unknown as ValidateArgs;
}

describe("kubedrill validate", () => {
  it("passes the valid fixtures with exit status 0", async () => {
    const io = fakeIO();
    const status = await validateCommand.run(await parse(["test/fixtures/scenarios"]), io);
    expect(io.lines).to.deep.equal(["3 file(s) checked, 0 problem(s)"]);
    expect(status).to.equal(0);
  });

  it("prints file:line:col problems and a summary, exit status 2", async () => {
    const io = fakeIO();
    const status = await validateCommand.run(
      await parse(["test/fixtures/malformed/wrong-kind.yaml", "test/fixtures/malformed/many-problems.yaml"]),
      io,
    );
    expect(status).to.equal(2);
    expect(io.lines[0]).to.equal(
      'test/fixtures/malformed/wrong-kind.yaml:3:7: kind must be "Scenario" (got "Scenaro")',
    );
    expect(io.lines[1]).to.match(
      /^test\/fixtures\/malformed\/many-problems\.yaml:11:19: spec\.targets\.detectWithin must be a duration/,
    );
    expect(io.lines.at(-1)).to.equal("2 file(s) checked, 5 problem(s)");
  });

  it("checks the whole malformed corpus without throwing, skipping the manifests it applies", async () => {
    const io = fakeIO();
    const status = await validateCommand.run(await parse(["test/fixtures/malformed"]), io);
    expect(status).to.equal(2);
    expect(io.lines.filter((l) => l.includes("manifests/broken.yaml:"))).to.have.length(1);
    expect(io.lines.at(-1)).to.equal("63 file(s) checked, 95 problem(s)");
  });

  it("prints JSON with --output json", async () => {
    const io = fakeIO();
    const status = await validateCommand.run(
      await parse(["test/fixtures/malformed/unknown-step-type.yaml", "--output", "json"]),
      io,
    );
    expect(status).to.equal(2);
    const report = JSON.parse(io.lines.join("\n"));
    expect(report.files).to.deep.equal(["test/fixtures/malformed/unknown-step-type.yaml"]);
    expect(report.valid).to.equal(false);
    expect(report.problems).to.deep.equal([
      {
        file: "test/fixtures/malformed/unknown-step-type.yaml",
        line: 13,
        column: 7,
        field: "spec.fault[0]",
        message: 'unknown step type "scael" (did you mean "scale"?)',
      },
    ]);
  });

  it("checks the shipped scenarios from a folder without scenarios/", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "kubedrill-validate-"));
    try {
      const io = { ...fakeIO(), cwd: tmp };
      expect(await validateCommand.run({ output: "text" }, io)).to.equal(0);
      expect(io.lines.at(-1)).to.match(/^([89]|\d\d+) file\(s\) checked, 0 problem\(s\)$/);
      expect(await validateCommand.run({ paths: ["zone-unavailable"], output: "text" }, io)).to.equal(0);
      expect(io.lines.at(-1)).to.equal("1 file(s) checked, 0 problem(s)");
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("defaults to scenarios/ when there is one, and warns when it holds no scenario", async () => {
    expect((await parse([])).paths ?? []).to.deep.equal([]);
    const tmp = await mkdtemp(join(tmpdir(), "kubedrill-validate-"));
    try {
      await mkdir(join(tmp, "scenarios"));
      const io = { ...fakeIO(), cwd: tmp };
      expect(await validateCommand.run({ paths: [], output: "text" }, io)).to.equal(0);
      expect(io.lines).to.deep.equal(["0 file(s) checked, 0 problem(s)"]);
      expect(io.logger.lines.map((l) => `${l.level}: ${l.message}`)).to.deep.equal([
        "warn: no scenario files (*.yaml, *.yml) found in scenarios/",
      ]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("reports a path that does not exist", async () => {
    const io = fakeIO();
    expect(await validateCommand.run(await parse(["no/such/dir"]), io)).to.equal(2);
    expect(io.lines).to.deep.equal(["no/such/dir:1:1: no such file or directory", "0 file(s) checked, 1 problem(s)"]);
  });
});

describe("kubedrill schema", () => {
  it("prints the JSON Schema generated from the registered plug-ins", async () => {
    const io = fakeIO();
    expect(await schemaCommand.run({}, io)).to.equal(0);
    const reg = defaultRegistries();
    const plugins = { step: reg.steps.plugins(), probe: reg.probes.plugins(), signal: reg.signals.plugins() };
    expect(JSON.parse(io.lines.join("\n"))).to.deep.equal(generateSchema(plugins));
  });
});
