import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { definitionName, generateSchema, scenarioSchema, typedMapKind } from "../../src/scenario/catalogue.ts";
import { schemaProblems } from "../../src/scenario/schemaCheck.ts";
import { parseYaml } from "../../src/scenario/source.ts";
import { loadValidator, scenarioAjv, validatorKey } from "../../src/scenario/validator.ts";
import { precompiledValidatorCode } from "../../src/scenario/validator-code.ts";
import { PROBES } from "../../src/probes/index.ts";
import { SIGNALS } from "../../src/signals/index.ts";
import { STEPS } from "../../src/steps/index.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Every YAML document of the fixtures and the shipped scenarios (valid, broken and hostile). */
function corpus() {
  const files = ["test/fixtures", "scenarios"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f))
      .sort(),
  );
  return files.flatMap((file) =>
    parseYaml(readFileSync(join(ROOT, file), "utf8"), file)
      .documents.filter((d) => d.value !== undefined)
      .map((d) => ({ file, value: d.value, locator: d.locator })),
  );
}

describe("precompiled scenario validator", function () {
  this.timeout(60_000);
  let dir: string;
  /** Writes a module generated from `schema` and returns its path. */
  const write = (name: string, schema: object): string => {
    const file = join(dir, name);
    writeFileSync(file, precompiledValidatorCode(schema));
    return file;
  };
  let current: string;
  before(() => {
    // The generated code requires Ajv's small run-time helpers, found through node_modules.
    dir = mkdtempSync(join(tmpdir(), "kd-validator-"));
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    current = write("current.cjs", scenarioSchema);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is used when it was generated from the schema, and reports what the run-time validator reports", () => {
    const precompiled = loadValidator(scenarioSchema, current);
    expect(precompiled.from).to.equal("precompiled");
    const compiled: ValidateFunction = scenarioAjv().compile(scenarioSchema);
    const docs = corpus();
    let problems = 0;
    const messages = new Set<string>();
    for (const { file, value, locator } of docs) {
      const expected = schemaProblems(value, locator, compiled);
      const rawErrors = compiled.errors ?? null;
      const actual = schemaProblems(value, locator, precompiled.validate);
      expect(precompiled.validate.errors ?? null, `${file}: Ajv's errors`).to.deep.equal(rawErrors);
      expect(actual, file).to.deep.equal(expected);
      problems += actual.length;
      for (const p of actual) messages.add(p.message.replace(/ \(got .*|".*/, ""));
    }
    // The corpus says something: valid files, and broken ones of many kinds.
    expect(docs.length).to.be.greaterThan(60);
    expect(problems).to.be.greaterThan(50);
    expect(messages.size).to.be.greaterThan(20);
    // Messages that need the step, probe and signal maps recognised in the copy of the schema.
    expect([...messages].some((m) => m.startsWith("unknown step type"))).to.equal(true);
    expect([...messages].some((m) => m.includes("a step is a map with exactly one key"))).to.equal(true);
  });

  it("is not used when it was generated from another schema: the schema is compiled instead", () => {
    const older = generateSchema({ step: STEPS.slice(1), probe: PROBES, signal: SIGNALS });
    const stale = write("stale.cjs", older);
    const loaded = loadValidator(scenarioSchema, stale);
    expect(loaded.from).to.equal("compiled");
    expect(loaded)
      .to.have.property("why")
      .that.matches(/stale\.cjs was generated from another schema/);
    // What the stale one would get wrong: the first step type, which it does not know.
    const first = { apiVersion: "kubedrill.io/v1alpha1", kind: "Scenario", metadata: { name: "x" } };
    const scenario = { ...first, spec: { fault: [{ [STEPS[0]!.name]: {} }] } };
    const withStale = loadValidator(older, stale).validate;
    withStale(scenario);
    loaded.validate(scenario);
    const unknownType = (errors: ValidateFunction["errors"]) =>
      (errors ?? []).some((e) => e.keyword === "additionalProperties" && e.instancePath === "/spec/fault/0");
    expect(unknownType(withStale.errors), "the stale validator").to.equal(true);
    expect(unknownType(loaded.validate.errors), "the one used").to.equal(false);
  });

  it("is compiled at run time when there is none (running from the sources) or it cannot be loaded", () => {
    const missing = loadValidator(scenarioSchema, join(dir, "none.cjs"));
    expect(missing.from).to.equal("compiled");
    expect(missing)
      .to.have.property("why")
      .that.matches(/^no precompiled validator at .*none\.cjs$/);
    const damaged = join(dir, "damaged.cjs");
    writeFileSync(damaged, readFileSync(current, "utf8").slice(0, 5000));
    const broken = loadValidator(scenarioSchema, damaged);
    expect(broken.from).to.equal("compiled");
    expect(broken)
      .to.have.property("why")
      .that.matches(/^cannot load .*damaged\.cjs: /);
    expect(broken.validate({})).to.equal(false);
  });

  it("is keyed by the schema's content", () => {
    expect(validatorKey(structuredClone(scenarioSchema))).to.equal(validatorKey(scenarioSchema));
    const changed = structuredClone(scenarioSchema) as { definitions: Record<string, { description?: string }> };
    changed.definitions[definitionName("step", STEPS[0]!.name)]!.description += ".";
    expect(validatorKey(changed)).to.not.equal(validatorKey(scenarioSchema));
  });
});

describe("typedMapKind", () => {
  const defs = scenarioSchema.definitions as Record<string, object>;
  it("recognises the step, probe and signal maps, and copies of them (a precompiled validator's)", () => {
    for (const kind of ["step", "probe", "signal"] as const) {
      expect(typedMapKind(defs[kind])).to.equal(kind);
      expect(typedMapKind(structuredClone(defs[kind]))).to.equal(kind);
    }
  });
  it("recognises nothing else, not even a map with the same description", () => {
    const near = { ...structuredClone(defs.step!), maxProperties: 2 };
    for (const other of [near, defs.steps, defs.probes, scenarioSchema, undefined, "step"])
      expect(typedMapKind(other)).to.equal(undefined);
  });
});
