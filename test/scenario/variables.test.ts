import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import type { CliIO } from "../../src/cli/command.ts";
import { createRunCommand, type RunArgs } from "../../src/cli/commands/run.ts";
import { validateCommand, type ValidateArgs } from "../../src/cli/commands/validate.ts";
import { formatProblem, UsageError } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import type { VariableInput } from "../../src/pipeline/values.ts";
import { scenarioSchema } from "../../src/scenario/catalogue.ts";
import { parseScenarioText } from "../../src/scenario/load.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { args, doubles } from "../cli/run-doubles.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DIR = "test/fixtures/variables";
const FILE = `${DIR}/scale-service.yaml`;

async function check(variables: VariableInput, paths = [FILE], cwd = root) {
  const r = await checkScenarios(paths, { cwd, variables });
  return { ...r, lines: r.problems.map(formatProblem) };
}

describe("scenario variables (spec.variables, --set, --values)", () => {
  it("substitutes defaults and given values; a whole ${name} takes the declared type", async () => {
    const r = await check({ set: ["image=nginx:1.27"] });
    expect(r.lines).to.deep.equal([]);
    const s = r.built[0]!.scenario;
    expect(s.spec.variables).to.deep.equal({
      service: "api",
      replicas: 20,
      detectWithin: "30s",
      strict: false,
      image: "nginx:1.27",
    });
    expect(s.spec.targets.detectWithinMs).to.equal(30_000);
    expect(s.spec.fault[0]!.params).to.deep.equal({ target: { kind: "Deployment", name: "api" }, replicas: 20 });
    expect(s.spec.steadyState[0]!.params).to.deep.equal({ selector: "app=api" });
    const pod = (s.spec.setup.steps[0]!.params.objects as { metadata: unknown; spec: unknown }[])[0]!;
    expect(pod.metadata).to.deep.equal({ name: "api", labels: { mode: "strict-false" } });
    // the built step carries the substituted values too
    expect(r.built[0]!.fault[0]!.describe()).to.match(/^scale Deployment\/api in kd-scale-service-\w+ to 20 replica/);
  });

  it("--values files then --set, the last given winning; --set reads the declared type", async () => {
    const r = await check({
      values: [`${DIR}/staging.yaml`],
      set: ["replicas=3", "strict=true", "detectWithin=45s", "replicas=4"],
    });
    expect(r.lines).to.deep.equal([]);
    expect(r.built[0]!.scenario.spec.variables).to.deep.equal({
      service: "checkout",
      replicas: 4,
      detectWithin: "45s",
      strict: true,
      image: "nginx:1.27",
    });
    expect(r.built[0]!.scenario.spec.targets.detectWithinMs).to.equal(45_000);
  });

  it("a required variable not given is a located problem, before any cluster work", async () => {
    const r = await check({});
    expect(r.built).to.deep.equal([]);
    expect(r.lines).to.deep.equal([
      `${FILE}:12:5: spec.variables.image is required (no default): set it with --set image=VALUE or in a --values file`,
    ]);
  });

  it("a --set of the wrong type, or of a variable no scenario declares, is located at spec.variables", async () => {
    const r = await check({ set: ["image=x", "replicas=many", "strict=yes", "replcas=4"] });
    expect(r.built).to.deep.equal([]);
    expect(r.lines).to.deep.equal([
      `${FILE}:7:3: spec.variables --set replcas=4: replcas is not a variable of this scenario (did you mean "replicas"?); it declares: service, replicas, detectWithin, strict, image`,
      `${FILE}:9:5: spec.variables.replicas --set replicas=many: must be an integer (got "many")`,
      `${FILE}:11:5: spec.variables.strict --set strict=yes: must be true or false (got "yes")`,
    ]);
  });

  it("a --values file's problems are located in it; a value of the wrong YAML type is not coerced", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "kd-values-"));
    try {
      const values = join(scratch, "values.yaml");
      writeFileSync(values, 'image: nginx\nreplicas: "8"\nzone: { a: 1 }\nreplica: 2\n');
      const r = await check({ values: [values] });
      expect(r.built).to.deep.equal([]);
      expect(r.lines).to.have.members([
        `${values}:2:1: replicas must be an integer (got "8") (the type declared at ${FILE}:9)`,
        `${values}:3:1: zone must be a string, a number or true/false`,
        `${values}:4:1: replica is not a variable of any scenario checked (did you mean "replicas"?); the scenarios declare: detectWithin, image, replicas, service, strict`,
      ]);
      expect(r.lines).to.have.length(3);
      const missing = await check({ values: [join(scratch, "nope.yaml")] });
      expect(missing.lines[0]).to.equal(`${join(scratch, "nope.yaml")}:1:1: --values: no such file`);
      writeFileSync(values, "- a\n- b\n");
      expect((await check({ values: [values], set: ["image=x"] })).lines).to.deep.equal([
        `${values}:1:1: must be a map of variable: value`,
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("in a suite, a value is used by the scenarios that declare it and ignored by the others", async () => {
    const r = await check({ set: ["image=nginx"] }, [FILE, "test/fixtures/scenarios/minimal.yaml"]);
    expect(r.lines).to.deep.equal([]);
    expect(r.built.map((b) => b.scenario.metadata.name)).to.deep.equal(["scale-service", "minimal"]);
    // but a name no scenario declares is refused in each file
    const typo = await check({ set: ["image=nginx", "imgae=x"] }, [FILE, "test/fixtures/scenarios/minimal.yaml"]);
    expect(typo.lines).to.have.length(2);
    expect(typo.lines[1]).to.match(
      /^test\/fixtures\/scenarios\/minimal\.yaml:\d+:\d+: spec\.variables --set imgae=x: imgae is not a variable of this scenario \(did you mean "image"\?\); it declares none/,
    );
  });

  it("a given value is checked where it lands; program text keeps its own ${...}", () => {
    const text = (extra: string) => `apiVersion: kubedrill.io/v1alpha1
kind: Scenario
metadata: { name: lands }
spec:
  variables:
    ttd: { type: string, default: 30s }
    url: { type: string, default: "http://api" }
  targets: { detectWithin: "\${ttd}", recoverWithin: 2m }
  steadyState:
    - command: { run: [sh, -c, "curl \${url}/health?home=\${HOME}"] }
  fault:
    - scale: { target: { kind: Deployment, name: api }, replicas: 0 }
  detect:
    signals:
      - event: { reason: FailedScheduling }
  remediate:
    external: { description: someone }${extra}
`;
    const ok = parseScenarioText(text(""), "lands.yaml");
    expect(ok.problems).to.deep.equal([]);
    expect(ok.scenario!.spec.steadyState[0]!.params.run).to.deep.equal([
      "sh",
      "-c",
      "curl http://api/health?home=${HOME}",
    ]);
    const bad = parseScenarioText(text(""), "lands.yaml", [
      { name: "ttd", value: "soon", from: { set: "--set ttd=soon" } },
    ]);
    expect(bad.problems.map(formatProblem)).to.deep.equal([
      'lands.yaml:8:28: spec.targets.detectWithin must be a duration such as 500ms, 30s, 2m or 1h30m (got "soon")',
    ]);
  });

  it("--set without = is a usage error", async () => {
    await check({ set: ["image"] }).then(
      () => expect.fail("should throw"),
      (e: Error) => {
        expect(e).to.be.instanceOf(UsageError);
        expect(e.message).to.equal("--set image: expected name=value");
      },
    );
  });

  it("validate and run take --set and --values; run refuses before starting a cluster", async () => {
    const io = (): CliIO & { lines: string[] } => {
      const lines: string[] = [];
      return {
        lines,
        out: (t) => lines.push(t),
        log: memoryLogger(),
        signal: new AbortController().signal,
        env: {},
        cwd: root,
      };
    };
    const parse = async (argv: string[]) =>
      (await validateCommand
        .builder(
          yargs(argv)
            .command("$0 [paths..]", "", () => {})
            .exitProcess(false)
            .fail(false),
        )
        .parse()) as unknown as ValidateArgs;
    const bad = io();
    expect(await validateCommand.run(await parse([FILE]), bad)).to.equal(2);
    expect(bad.lines.at(-1)).to.equal("1 file(s) checked, 1 problem(s)");
    const good = io();
    const parsed = await parse([
      FILE,
      "--set",
      "image=nginx",
      "--set",
      "replicas=2",
      "--values",
      `${DIR}/staging.yaml`,
    ]);
    expect(parsed).to.deep.include({ set: ["image=nginx", "replicas=2"], values: [`${DIR}/staging.yaml`] });
    expect(await validateCommand.run(parsed, good)).to.equal(0);

    const d = doubles([]);
    const seen: unknown[] = [];
    d.deps.check = async (paths, o) => (seen.push(o.variables), checkScenarios(paths, o));
    const cmd = createRunCommand(d.deps);
    const runArgs = (await cmd
      .builder(yargs(["--set", "replicas=x", "--values", "v.yaml"]).exitProcess(false).fail(false))
      .parse()) as unknown as RunArgs;
    expect(runArgs).to.deep.include({ set: ["replicas=x"], values: ["v.yaml"] });
    const err = await cmd.run({ ...args({ paths: [FILE] }), set: ["replicas=x"] }, { ...d.io(), cwd: root }).then(
      () => expect.fail("should be refused"),
      (e: Error) => e,
    );
    expect(seen).to.deep.equal([{ set: ["replicas=x"] }]);
    expect(err.message).to.include(`${FILE}:9:5: spec.variables.replicas --set replicas=x: must be an integer`);
    expect(err.message).to.include("spec.variables.image is required");
    expect(d.seen.started).to.deep.equal([]);
  });

  it("the JSON Schema (kubedrill schema) declares spec.variables", () => {
    type S = { properties: Record<string, S>; additionalProperties: S; propertyNames: unknown; required: string[] };
    const spec = (scenarioSchema as unknown as S).properties.spec!;
    const variables = spec.properties.variables!;
    expect(variables.propertyNames).to.deep.equal({ pattern: "^[A-Za-z][A-Za-z0-9_]*$" });
    expect(variables.additionalProperties.required).to.deep.equal(["type"]);
    expect(Object.keys(variables.additionalProperties.properties)).to.deep.equal(["type", "default", "description"]);
    expect((variables.additionalProperties.properties.type as unknown as { enum: string[] }).enum).to.deep.equal([
      "string",
      "integer",
      "number",
      "boolean",
    ]);
  });
});
