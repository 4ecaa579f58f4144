import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { CliIO } from "../../src/cli/command.ts";
import { describeCommand } from "../../src/cli/commands/describe.ts";
import { initCommand } from "../../src/cli/commands/init.ts";
import { listCommand } from "../../src/cli/commands/list.ts";
import { UsageError, ValidationError } from "../../src/errors.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { memoryLogger } from "../../src/util/log.ts";

function fakeIO(cwd: string): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), log: memoryLogger(), signal: new AbortController().signal, env: {}, cwd };
}

const fails = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected an error"),
    (e: unknown) => e as Error,
  );

describe("kubedrill list, describe, init", () => {
  let tmp: string;
  beforeEach(async () => (tmp = await mkdtemp(join(tmpdir(), "kd-catalogue-"))));
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  it("init writes a commented scenario that validates as written and points editors at the shipped schema", async () => {
    const io = fakeIO(tmp);
    expect(await initCommand.run({ name: "checkout-quota", force: false }, io)).to.equal(0);
    const file = join(tmp, "checkout-quota.yaml");
    expect(io.lines).to.deep.equal([file]);
    const text = await readFile(file, "utf8");
    const schemaLine = /^# yaml-language-server: \$schema=(.+)$/m.exec(text.split("\n")[0]!);
    expect(schemaLine, "first line").to.not.equal(null);
    expect(existsSync(resolve(dirname(file), schemaLine![1]!)), "the schema it names exists").to.equal(true);
    expect(text.split("\n").filter((l) => /^\s*#/.test(l)).length).to.be.greaterThan(10);
    const checked = await checkScenarios([file], { cwd: tmp });
    expect(checked.problems).to.deep.equal([]);
    expect(checked.built.map((b) => b.scenario.metadata.name)).to.deep.equal(["checkout-quota"]);
  });

  it("init refuses to overwrite (unless --force) and refuses names that are not DNS labels", async () => {
    const io = fakeIO(tmp);
    await writeFile(join(tmp, "mine.yaml"), "keep me");
    const err = await fails(initCommand.run({ name: "mine", force: false }, io));
    expect(err)
      .to.be.instanceOf(UsageError)
      .with.property("message")
      .that.matches(/already exists.*--force/);
    expect(await readFile(join(tmp, "mine.yaml"), "utf8")).to.equal("keep me");
    expect(await initCommand.run({ name: "mine", force: true }, io)).to.equal(0);
    expect(await readFile(join(tmp, "mine.yaml"), "utf8")).to.match(/name: mine/);
    const bad = await fails(initCommand.run({ name: "Bad_Name", force: false }, io));
    expect(bad)
      .to.be.instanceOf(UsageError)
      .with.property("message")
      .that.matches(/not a valid scenario name/);
  });

  it("list shows the shipped scenarios and the user's, with tags and fidelity per provider", async () => {
    await mkdir(join(tmp, "drills"));
    await initCommand.run({ name: "my-drill", output: "drills/my-drill.yaml", force: false }, fakeIO(tmp));
    const io = fakeIO(tmp);
    expect(await listCommand.run({ paths: ["drills"], output: "text" }, io)).to.equal(0);
    expect(io.lines[0]).to.match(/^NAME\s+ORIGIN\s+TAGS\s+LOCAL\s+KWOK\s+KIND\s+K3S\s+KUBECONFIG\s+FAILURE$/);
    const row = (name: string) => io.lines.find((l) => l.startsWith(`${name} `))!.split(/\s{2,}/);
    expect(row("cidr-overlap").slice(0, 8)).to.deep.equal([
      "cidr-overlap",
      "shipped",
      "network,cni,core",
      "real",
      "simulated",
      "real",
      "unavailable",
      "unavailable",
    ]);
    expect(row("my-drill").slice(0, 3)).to.deep.equal(["my-drill", "yours", "example,quota"]);
    // A copy of a shipped scenario under its own name is listed, not refused as a duplicate.
    const json = fakeIO(tmp);
    await writeFile(
      join(tmp, "drills", "copy.yaml"),
      (await readFile(join(tmp, "drills", "my-drill.yaml"), "utf8")).replace("name: my-drill", "name: pvc-unbound"),
    );
    expect(await listCommand.run({ paths: ["drills"], tag: ["storage"], output: "json" }, json)).to.equal(0);
    const parsed = JSON.parse(json.lines.join("\n")) as { scenarios: { name: string; origin: string }[] };
    expect(parsed.scenarios.map((s) => `${s.name}/${s.origin}`)).to.deep.equal([
      "pvc-unbound/shipped",
      "wal-disk-full/shipped",
    ]);
  });

  it("list reports files that are not valid scenarios and exits 2", async () => {
    await writeFile(
      join(tmp, "broken.yaml"),
      "apiVersion: kubedrill.io/v1alpha1\nkind: Scenario\nmetadata: {name: b}\n",
    );
    const io = fakeIO(tmp);
    expect(await listCommand.run({ paths: ["broken.yaml"], output: "text" }, io)).to.equal(2);
    expect(io.lines.some((l) => l.startsWith("quota-exhaustion "))).to.equal(true);
  });

  it("describe finds a shipped scenario by name from any folder and explains it", async () => {
    const io = fakeIO(tmp);
    expect(await describeCommand.run({ scenario: "cidr-overlap" }, io)).to.equal(0);
    const text = io.lines.join("\n");
    expect(text).to.match(/^cidr-overlap \(shipped: <kubedrill>\/scenarios\/cidr-overlap\.yaml\)/);
    for (const heading of ["Failure:", "Targets:", "Setup", "Fault", "Detection", "Remediation:", "Recovery"])
      expect(text).to.include(heading);
    expect(text).to.include("detected within 20.0s (TTD), recovered within 30.0s (RTO)");
    expect(text).to.include("- probe fails: pods app=frontend reach service <namespace>/orders:80");
    expect(text).to.match(/kwok\s+simulated: connectivity probe: /);
    expect(text).to.match(/k3s\s+unavailable: connectivity probe: /);
    expect(text).to.not.match(/kd-cidr-overlap-/);
  });

  it("describe names the capabilities a scenario requires, and the providers it is skipped on", async () => {
    await initCommand.run({ name: "pull", force: false }, fakeIO(tmp));
    const file = join(tmp, "pull.yaml");
    const text = await readFile(file, "utf8");
    expect(text).to.include("requires: { nodes: 1 }");
    await writeFile(
      file,
      text.replace("requires: { nodes: 1 }", "requires: { nodes: 1, capabilities: [authRegistry] }"),
    );
    const io = fakeIO(tmp);
    expect(await describeCommand.run({ scenario: "pull.yaml" }, io)).to.equal(0);
    const out = io.lines.join("\n");
    expect(out).to.include("Requires:  1 Ready node(s), authRegistry; outside its namespace it changes nothing");
    expect(out).to.include(
      "           authRegistry (an image registry that requires credentials, which the nodes pull from: local real nodes, kind when found there)",
    );
    expect(out).to.match(/per provider \(local real, kwok skipped, kind limited, k3s skipped, kubeconfig skipped\)/);
    expect(out).to.match(
      /kind\s+limited: requires\.capabilities authRegistry: skipped unless found at start: it runs when kubedrill could start its registry containers/,
    );
    expect(out).to.match(/k3s\s+skipped: requires\.capabilities authRegistry: kubedrill runs no registry/);
  });

  it("describe takes a file, and suggests the name a typo meant", async () => {
    await initCommand.run({ name: "own", force: false }, fakeIO(tmp));
    const io = fakeIO(tmp);
    expect(await describeCommand.run({ scenario: "own.yaml" }, io)).to.equal(0);
    expect(io.lines[0]).to.match(/^own \(yours: own\.yaml\)/);
    const err = await fails(describeCommand.run({ scenario: "zone-unavailabel" }, io));
    expect(err)
      .to.be.instanceOf(UsageError)
      .with.property("message")
      .that.matches(
        /no scenario of that name \(did you mean "zone-unavailable"\?\); known scenarios: .*quota-exhaustion/,
      );
    await writeFile(join(tmp, "bad.yaml"), "apiVersion: kubedrill.io/v1alpha1\nkind: Scenario\n");
    expect(await fails(describeCommand.run({ scenario: "bad.yaml" }, io))).to.be.instanceOf(ValidationError);
  });
});
