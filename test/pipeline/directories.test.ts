import { expect } from "chai";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { memoryLogger } from "../../src/util/log.ts";

const minimal = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "scenarios", "minimal.yaml");

describe("a directory run lists what it skips and follows links inside the tree", () => {
  let tmp: string;
  let outside: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), "kd-dir-"));
    outside = await mkdtemp(join(tmpdir(), "kd-outside-"));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("follows a link to a file in the tree, refuses links outside or nowhere, skips linked folders, says why", async () => {
    const text = await readFile(minimal, "utf8");
    const tree = join(tmp, "suite");
    await mkdir(join(tree, "store"), { recursive: true });
    await writeFile(join(tree, "store", "linked.scenario"), text.replace("name: minimal", "name: linked"));
    await symlink(join(tree, "store", "linked.scenario"), join(tree, "linked.yaml"));
    await writeFile(join(outside, "far.yaml"), text.replace("name: minimal", "name: far"));
    await symlink(join(outside, "far.yaml"), join(tree, "far.yaml"));
    await symlink(join(tree, "gone.yaml.orig"), join(tree, "gone.yaml"));
    await symlink(join(tree, "store"), join(tree, "store-link"));
    await writeFile(join(tree, "deploy.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\n");
    const log = memoryLogger();
    const checked = await checkScenarios(["suite"], { cwd: tmp, log });
    expect(checked.built.map((b) => b.scenario.metadata.name)).to.deep.equal(["linked"]);
    expect(checked.problems.map((p) => `${p.file}: ${p.message}`)).to.deep.equal([
      `suite/far.yaml: is a symbolic link to ${join(outside, "far.yaml")}, outside suite; refused (name the file directly to check it)`,
      "suite/gone.yaml: is a symbolic link that leads nowhere",
    ]);
    expect(log.lines.map((l) => l.message)).to.deep.equal([
      "skipped suite/store-link: a symbolic link to a directory (not followed; name it directly)",
      "skipped suite/deploy.yaml: a Kubernetes Deployment (apps/v1), not a kubedrill Scenario",
    ]);
  });

  it("skips the manifests scenarios apply wherever they sort, and what those apply in turn", async () => {
    const text = await readFile(minimal, "utf8");
    const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\n`;
    const applying = (path: string) =>
      text.replace("spec:\n", `spec:\n  setup:\n    steps:\n      - apply: { path: ${path} }\n`);
    await writeFile(join(tmp, "a-manifest.yaml"), deployment("a"));
    // Applied by the scenario, and itself applying a file: a near miss of a scenario (it does
    // not name the kind Scenario), whose apply step still counts.
    await writeFile(join(tmp, "b-chain.yaml"), applying("c-manifest.yaml").replace("kind: Scenario", "kind: Scenaro"));
    await writeFile(join(tmp, "c-manifest.yaml"), deployment("c"));
    await writeFile(join(tmp, "d-stray.yaml"), deployment("d"));
    await writeFile(
      join(tmp, "z-scenario.yaml"),
      applying("a-manifest.yaml")
        .replace("      - apply:", "      - apply: { path: b-chain.yaml }\n      - apply:")
        .replace("spec:\n", "spec:\n  requires: { touches: { kinds: [Scenaro] } }\n"),
    );
    const log = memoryLogger();
    const checked = await checkScenarios(["."], { cwd: tmp, log });
    expect(checked.problems).to.deep.equal([]);
    expect(checked.files).to.deep.equal(["z-scenario.yaml"]);
    expect(log.lines.map((l) => l.message)).to.deep.equal([
      "skipped a-manifest.yaml: a manifest a scenario applies",
      "skipped b-chain.yaml: a manifest a scenario applies",
      "skipped c-manifest.yaml: a manifest a scenario applies",
      "skipped d-stray.yaml: a Kubernetes Deployment (apps/v1), not a kubedrill Scenario",
    ]);
  });

  it("a near miss of apiVersion and kind is a broken scenario, not a skipped manifest", async () => {
    const text = await readFile(minimal, "utf8");
    await writeFile(
      join(tmp, "typo.yaml"),
      text.replace("kubedrill.io/v1alpha1", "kubedril.io/v1alpha1").replace("kind: Scenario", "kind: Scenaro"),
    );
    const log = memoryLogger();
    const checked = await checkScenarios([tmp], { cwd: tmp, log });
    expect(checked.files).to.deep.equal([join(tmp, "typo.yaml")]);
    expect(checked.problems.map((p) => `${p.field} ${p.message}`)).to.deep.equal([
      'apiVersion must be "kubedrill.io/v1alpha1" (got "kubedril.io/v1alpha1")',
      'kind must be "Scenario" (got "Scenaro")',
    ]);
    expect(log.lines).to.deep.equal([]);
  });
});
