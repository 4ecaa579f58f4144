import { expect } from "chai";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { parseScenarioText } from "../../src/scenario/load.ts";
import type { Scenario } from "../../src/scenario/types.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const valid = join(fixtures, "scenarios");

/** The pipeline over `paths`, as validate and run call it, with the accepted scenarios' models. */
async function loadScenarios(paths: string[], o: { cwd?: string } = {}) {
  const checked = await checkScenarios(paths, { cwd: o.cwd ?? process.cwd() });
  return { ...checked, scenarios: checked.built.map((b) => b.scenario) };
}

async function loadScenarioFile(path: string): Promise<Scenario> {
  const { scenarios, problems } = await loadScenarios([path]);
  if (problems.length > 0) throw new ValidationError(problems);
  return scenarios[0]!;
}

describe("parseScenarioText", () => {
  it("applies the defaults and locates every step, probe and signal", async () => {
    const text = await readFile(join(valid, "minimal.yaml"), "utf8");
    const { scenario, problems } = parseScenarioText(text, "scenarios/minimal.yaml");
    expect(problems).to.deep.equal([]);
    const s = scenario!;
    expect(s.file).to.equal(join(process.cwd(), "scenarios/minimal.yaml"));
    expect(s.metadata).to.deep.equal({ name: "minimal", tags: [] });
    expect(s.spec.requires).to.deep.equal({ touches: { kinds: [], namespaces: [] } });
    expect(s.spec.targets).to.deep.equal({ detectWithinMs: 10_000, recoverWithinMs: 90_000 });
    expect(s.spec.setup).to.deep.equal({ steps: [], waitFor: [], timeoutMs: 180_000 });
    expect(s.spec.detect.mode).to.equal("all");
    expect(s.spec.remediate).to.deep.equal({
      steps: [],
      external: { description: "the Deployment controller recreates the pods" },
    });
    expect(s.spec.recover).to.deep.equal({ probes: s.spec.steadyState, rpo: [], holdForMs: 0 });
    expect(s.spec.fault).to.deep.equal([
      {
        type: "restartPods",
        params: { selector: "app=web" },
        loc: { file: "scenarios/minimal.yaml", line: 10, column: 7, field: "spec.fault[0].restartPods" },
      },
    ]);
    const signal = s.spec.detect.signals[0]!;
    expect(signal.loc).to.deep.equal({
      file: "scenarios/minimal.yaml",
      line: 13,
      column: 9,
      field: "spec.detect.signals[0].probeFails",
    });
    expect(signal.params.probe).to.deep.equal({
      type: "podsReady",
      params: { selector: "app=web" },
      loc: {
        file: "scenarios/minimal.yaml",
        line: 15,
        column: 13,
        field: "spec.detect.signals[0].probeFails.probe.podsReady",
      },
    });
  });

  it("reads spec.abortWhen as located probes, and checks their params like any probe's", () => {
    const lines = (guard: string) =>
      [
        "apiVersion: kubedrill.io/v1alpha1",
        "kind: Scenario",
        "metadata: { name: guarded }",
        "spec:",
        "  targets: { detectWithin: 1s, recoverWithin: 5s }",
        "  steadyState: [ { podsReady: { selector: app=web } } ]",
        `  abortWhen: [ ${guard} ]`,
        "  fault: [ { scale: { target: { kind: Deployment, name: x }, replicas: 0 } } ]",
        "  detect: { signals: [ { event: { reason: Killing } } ] }",
        "  remediate: { external: { description: x } }",
      ].join("\n");
    const good = parseScenarioText(lines("{ podsReady: { selector: app=checkout, namespace: shop } }"), "g.yaml");
    expect(good.problems).to.deep.equal([]);
    expect(good.scenario!.spec.abortWhen!.map((p) => [p.type, p.params, p.loc.line, p.loc.field])).to.deep.equal([
      ["podsReady", { selector: "app=checkout", namespace: "shop" }, 7, "spec.abortWhen[0].podsReady"],
    ]);
    const bad = parseScenarioText(lines("{ podsReady: { selector: app=checkout, colour: red } }"), "b.yaml");
    expect(bad.problems.map((p) => `${p.line} ${p.field} ${p.message}`)).to.deep.equal([
      '7 spec.abortWhen[0].podsReady unknown field "colour" (expected one of: selector, namespace, count)',
    ]);
  });

  it("reports every problem of a file, sorted by position, and no scenario", () => {
    const text = [
      "apiVersion: kubedrill.io/v1alpha1",
      "kind: Scenario",
      "metadata: { name: two-problems }",
      "spec:",
      "  targets: { detectWithin: 1s, recoverWithin: soon }",
      "  steadyState: []",
      "  fault: [ { scale: { target: { kind: Deployment, name: x } } } ]",
      "  detect: { signals: [ { event: { reason: Killing } } ] }",
      "  remediate: { external: { description: x } }",
    ].join("\n");
    const { scenario, problems } = parseScenarioText(text, "x.yaml");
    expect(scenario).to.equal(undefined);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.field} ${p.message}`)).to.deep.equal([
      '5:47 spec.targets.recoverWithin must be a duration such as 500ms, 30s, 2m or 1h30m (got "soon")',
      "6:16 spec.steadyState must not be empty (a list with at least one item)",
      "7:21 spec.fault[0].scale.replicas is required",
    ]);
  });

  it("keeps durations inside params as strings and turns wait.for into probes", async () => {
    const s = await loadScenarioFile(join(valid, "every-type.yaml"));
    const wait = s.spec.fault.find((f) => f.type === "wait")!;
    expect(wait.params.timeout).to.equal("45s");
    expect(wait.params.for).to.have.length(1);
    expect((wait.params.for as { type: string; loc: { field: string } }[])[0]).to.include({ type: "field" });
    expect((wait.params.for as { loc: { field: string } }[])[0]!.loc.field).to.equal("spec.fault[6].wait.for[0].field");
    expect(s.spec.setup.steps.map((x) => x.type)).to.deep.equal(["apply", "patch", "patch", "patch", "command"]);
    expect(s.spec.recover.holdForMs).to.equal(1500);
  });
});

describe("spec.requires.capabilities", () => {
  const withRequires = async (requires: string) =>
    parseScenarioText(
      (await readFile(join(valid, "minimal.yaml"), "utf8")).replace("spec:\n", `spec:\n  requires: ${requires}\n`),
      "scenarios/minimal.yaml",
    );

  it("keeps the capabilities a scenario names beside nodes and touches", async () => {
    const { scenario, problems } = await withRequires("{ nodes: 2, capabilities: [authRegistry, clusterDNS] }");
    expect(problems).to.deep.equal([]);
    expect(scenario!.spec.requires).to.deep.equal({
      nodes: 2,
      capabilities: ["authRegistry", "clusterDNS"],
      touches: { kinds: [], namespaces: [] },
    });
  });

  it("an empty list requires nothing", async () => {
    const { scenario } = await withRequires("{ capabilities: [] }");
    expect(scenario!.spec.requires).to.deep.equal({ touches: { kinds: [], namespaces: [] } });
  });

  it("refuses an unknown name, a repeated one and a non-list, each located", async () => {
    const unknown = await withRequires("{ capabilities: [realDataPlane, dns] }");
    expect(unknown.scenario).to.equal(undefined);
    expect(unknown.problems.map((p) => `${p.line}:${p.column} ${p.field} ${p.message}`)).to.deep.equal([
      '6:45 spec.requires.capabilities[1] unknown capability "dns"; known: realDataPlane, kubedrillImages, authRegistry, nodeEgressFirewall, clusterDNS, nodeDisk (docs/reference.md, "Cluster capabilities", says what each means and which provider has it)',
    ]);
    const twice = await withRequires("{ capabilities: [clusterDNS, clusterDNS] }");
    expect(twice.problems.map((p) => p.message)).to.deep.equal(['repeats item 0 ("clusterDNS"); items must be unique']);
    const scalar = await withRequires("{ capabilities: clusterDNS }");
    expect(scalar.problems.map((p) => `${p.field} ${p.message}`)).to.deep.equal([
      'spec.requires.capabilities must be a list (got "clusterDNS")',
    ]);
  });
});

describe("the pipeline on one file", () => {
  it("loads a valid scenario with its own values", async () => {
    const s = await loadScenarioFile(join(valid, "quota-exhaustion.yaml"));
    expect(s.file).to.equal(join(valid, "quota-exhaustion.yaml"));
    expect(s.metadata.tags).to.deep.equal(["scheduling", "core"]);
    expect(s.spec.requires).to.deep.equal({ nodes: 1, touches: { kinds: ["PriorityClass"], namespaces: [] } });
    expect(s.spec.setup.timeoutMs).to.equal(120_000);
    expect(s.spec.detect.mode).to.equal("any");
    expect(s.spec.recover.holdForMs).to.equal(2000);
    expect(s.spec.recover.probes).to.equal(s.spec.steadyState);
    expect(s.spec.recover.rpo[0]!.loc.field).to.equal("spec.recover.rpo[0].field");
    expect(s.spec.fault[0]).to.deep.include({
      type: "scale",
      params: { target: { kind: "Deployment", name: "api" }, replicas: 20 },
    });
    expect(s.spec.fault[0]!.loc).to.include({ line: 22, column: 7 });
  });

  it("throws a ValidationError for a file that does not exist", async () => {
    const err = await loadScenarioFile(join(fixtures, "nope.yaml")).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).problems[0]!.message).to.equal("no such file or directory");
  });
});

describe("the pipeline on files and directories", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), "kubedrill-load-"));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("loads every valid fixture and skips the manifests they apply", async () => {
    const { scenarios, problems, files } = await loadScenarios([valid]);
    expect(problems).to.deep.equal([]);
    expect(files.map((f) => f.slice(valid.length + 1))).to.deep.equal([
      "every-type.yaml",
      "minimal.yaml",
      "quota-exhaustion.yaml",
    ]);
    expect(scenarios.map((s) => s.metadata.name)).to.deep.equal(["every-type", "minimal", "quota-exhaustion"]);
  });

  it("reports a duplicate metadata.name at the second file's name", async () => {
    const text = await readFile(join(valid, "minimal.yaml"), "utf8");
    await mkdir(join(tmp, "b"));
    await writeFile(join(tmp, "a.yaml"), text);
    await writeFile(join(tmp, "b", "again.yml"), `# copy\n${text}`);
    const { scenarios, problems } = await loadScenarios(["a.yaml", "b"], { cwd: tmp });
    expect(scenarios.map((s) => s.file)).to.deep.equal([join(tmp, "a.yaml")]);
    expect(problems).to.deep.equal([
      {
        file: join("b", "again.yml"),
        line: 5,
        column: 9,
        field: "metadata.name",
        message: '"minimal" is already used by a.yaml; scenario names must be unique',
      },
    ]);
  });

  it("skips Kubernetes objects found in directories but loads them when named", async () => {
    await writeFile(join(tmp, "deploy.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n");
    const inDir = await loadScenarios([tmp]);
    expect(inDir.files).to.deep.equal([]);
    expect(inDir.problems).to.deep.equal([]);
    const named = await loadScenarios([join(tmp, "deploy.yaml")]);
    expect(named.problems.map((p) => p.message)).to.include('must be "kubedrill.io/v1alpha1" (got "apps/v1")');
  });

  it("reports paths that do not exist and keeps going", async () => {
    const { scenarios, problems } = await loadScenarios(["missing-dir", join(valid, "minimal.yaml")], { cwd: tmp });
    expect(scenarios).to.have.length(1);
    expect(problems).to.deep.equal([
      { file: "missing-dir", line: 1, column: 1, field: "", message: "no such file or directory" },
    ]);
  });
});
