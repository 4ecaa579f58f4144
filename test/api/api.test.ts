import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import * as api from "../../src/api/index.ts";
import { BUNDLED_SCENARIOS_DIR, NotApplicableError, UsageError, ValidationError } from "../../src/api/index.ts";

const SCENARIO = (name: string, variables = "") =>
  [
    "apiVersion: kubedrill.io/v1alpha1",
    "kind: Scenario",
    `metadata: { name: ${name} }`,
    "spec:",
    variables,
    "  targets: { detectWithin: 10s, recoverWithin: 1m }",
    "  steadyState:",
    '    - podsReady: { selector: "app=${app}" }',
    "  fault:",
    '    - restartPods: { selector: "app=${app}" }',
    "  detect:",
    "    signals:",
    "      - event: { reason: Killing }",
    "  remediate:",
    "    external: { description: the controller }",
    "",
  ]
    .filter((l) => l !== "")
    .join("\n") + "\n";

describe("programmatic API", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "kd-api-"));
    await writeFile(join(dir, "web.yaml"), SCENARIO("web", "  variables:\n    app: { type: string }"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("exports the documented surface", () => {
    for (const fn of [
      "validateScenarios",
      "loadScenarios",
      "resolveScenarios",
      "planScenarios",
      "runScenario",
      "runScenarios",
      "diagnose",
      "writeReports",
      "createLogger",
    ])
      expect(typeof (api as Record<string, unknown>)[fn], fn).to.equal("function");
  });

  it("validates with the CLI's pipeline: located problems, variables as --set gives them", async () => {
    const bad = await api.validateScenarios(["web.yaml"], { cwd: dir });
    expect(bad.valid).to.equal(false);
    expect(bad.scenarios).to.deep.equal([]);
    expect(bad.problems.map((p) => `${p.file}:${p.line} ${p.field}`)).to.deep.equal([`web.yaml:6 spec.variables.app`]);
    const good = await api.validateScenarios(["web.yaml"], { cwd: dir, variables: { app: "checkout" } });
    expect(good).to.include({ valid: true });
    expect(good.files).to.deep.equal(["web.yaml"]);
    const [s] = await api.loadScenarios(["web.yaml"], { cwd: dir, variables: { app: "checkout" } });
    expect(s!.metadata.name).to.equal("web");
    expect(JSON.stringify(s!.spec.fault)).to.include("app=checkout");
    const err = await api.loadScenarios(["web.yaml"], { cwd: dir }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).problems).to.have.length(1);
  });

  it("finds shipped scenarios by name from any folder", async () => {
    expect(await api.resolveScenarios(["quota-exhaustion"], dir)).to.deep.equal([
      join(BUNDLED_SCENARIOS_DIR, "quota-exhaustion.yaml"),
    ]);
    expect(await api.resolveScenarios([], dir)).to.deep.equal([BUNDLED_SCENARIOS_DIR]);
    const err = await api.resolveScenarios(["quota-exhaustoin"], dir).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.include('"quota-exhaustion"');
    const plan = await api.planScenarios(["quota-exhaustion"], { cwd: dir });
    expect(plan).to.match(/^scenario quota-exhaustion \(/);
  });

  it("runs nothing, and asks no provider, before every scenario is valid", async () => {
    // An unknown provider would throw a UsageError: the ValidationError comes first.
    const err = await api
      .runScenarios(["web.yaml"], { cwd: dir, provider: "minikube" as "kind" })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ValidationError);
  });

  it("throws when no cluster can be had, and diagnose needs a kubeconfig", async () => {
    const missing = join(dir, "nope.kubeconfig");
    const err = await api
      .runScenario("web.yaml", { cwd: dir, variables: { app: "a" }, provider: "kubeconfig", kubeconfig: missing })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(NotApplicableError);
    expect((err as Error).message).to.include(missing);
    const d = await api.diagnose({ kubeconfig: missing }).catch((e: unknown) => e);
    expect(d).to.be.instanceOf(UsageError);
    expect((d as Error).message).to.equal(`kubeconfig ${missing} does not exist (set kubeconfig or $KUBECONFIG)`);
  });
});
