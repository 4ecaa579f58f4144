import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderPlan } from "../../src/engine/plan.ts";
import { checkScenarios } from "../../src/pipeline/check.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("the dry-run plan", () => {
  it("shows what a scenario changes outside its namespace, or that it declares nothing", async () => {
    const { built, problems } = await checkScenarios(
      ["scenarios/zone-unavailable.yaml", "scenarios/quota-exhaustion.yaml", "scenarios/image-incompatible.yaml"],
      { cwd: root },
    );
    expect(problems).to.deep.equal([]);
    const line = (i: number) =>
      renderPlan(built[i]!, { remediate: true, repeat: 1 })
        .split("\n")
        .find((l) => /outside its namespace/i.test(l));
    expect(line(0)).to.equal("  OUTSIDE its namespace, changes: kinds Node (spec.requires.touches)");
    expect(line(1)).to.equal("  OUTSIDE its namespace, changes: kinds PriorityClass (spec.requires.touches)");
    expect(line(2)).to.equal("  outside its namespace: nothing declared (spec.requires.touches)");
  });

  it("lists the capabilities a scenario requires of the cluster, each with where it is found", async () => {
    const { built, problems } = await checkScenarios(["scenarios/quota-exhaustion.yaml"], { cwd: root });
    expect(problems).to.deep.equal([]);
    const b = built[0]!;
    b.scenario.spec.requires.capabilities = ["authRegistry", "nodeEgressFirewall"];
    const lines = renderPlan(b, { remediate: true, repeat: 1 }).split("\n");
    const at = lines.indexOf(
      "  requires of the cluster (each attempt is skipped, nothing created, where one is missing):",
    );
    expect(at).to.be.greaterThan(0);
    expect(lines.slice(at + 1, at + 3)).to.deep.equal([
      "    - authRegistry (an image registry that requires credentials, which the nodes pull from: local real nodes, kind when found there)",
      "    - nodeEgressFirewall (a firewall on the nodes' own traffic that kubedrill can change, to cut their path to a registry: local real nodes, kind when found there)",
    ]);
  });
});
