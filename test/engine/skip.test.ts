import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { skipReason } from "../../src/engine/skip.ts";
import { runSuite } from "../../src/engine/suite.ts";
import type { Capabilities } from "../../src/providers/provider.ts";
import type { ClusterAccess } from "../../src/sdk/types.ts";
import type { CapabilityName } from "../../src/providers/capabilities.ts";
import { built, scenario } from "../fakes/scenario.ts";
import { harness } from "./harness.ts";

const KWOK: Capabilities = { nodes: "kwok" };
const REAL: Capabilities = {
  nodes: "real",
  realDataPlane: true,
  authRegistry: true,
  nodeEgressFirewall: true,
  clusterDNS: true,
};
const needing = (name: string, ...capabilities: CapabilityName[]) => scenario(name, { requires: { capabilities } });
/** A cluster as the attempt sees it; these tests never reach its actions. */
const clusterWith = (capabilities: Capabilities) =>
  ({ capabilities, network: {}, actions: {} }) as unknown as ClusterAccess;

const AUTH_REGISTRY =
  "authRegistry (an image registry that requires credentials, which the nodes pull from: local real nodes, kind when found there)";

describe("skipping what the cluster cannot run", () => {
  describe("skipReason", () => {
    it("runs a scenario that requires nothing, on any cluster, even one that says nothing", () => {
      expect(skipReason(scenario("plain"), { provider: "local", capabilities: KWOK })).to.equal(undefined);
      expect(skipReason(scenario("plain"), { provider: "fake" })).to.equal(undefined);
      expect(skipReason(needing("e", "authRegistry"), { provider: "local", capabilities: REAL })).to.equal(undefined);
    });

    it("names what is missing, what it means, where it is found, and the cluster", () => {
      expect(skipReason(needing("pull", "authRegistry"), { provider: "local", capabilities: KWOK })).to.equal(
        `needs ${AUTH_REGISTRY}; cluster local/kwok has none`,
      );
    });

    it("lists only the missing ones", () => {
      const kind: Capabilities = { realDataPlane: true, clusterDNS: true };
      expect(
        skipReason(needing("dns", "clusterDNS", "authRegistry"), { provider: "kind", capabilities: kind }),
      ).to.equal(`needs ${AUTH_REGISTRY}; cluster kind has none`);
      expect(
        skipReason(needing("egress", "authRegistry", "nodeEgressFirewall"), { provider: "kind", capabilities: kind }),
      ).to.match(
        /^needs authRegistry \(.*\) and nodeEgressFirewall \(.*: local real nodes, kind when found there\); cluster kind has neither$/,
      );
      expect(
        skipReason(needing("all", "realDataPlane", "authRegistry", "clusterDNS"), {
          provider: "local",
          capabilities: KWOK,
        }),
      ).to.match(
        /^needs realDataPlane \(.*\), authRegistry \(.*\) and clusterDNS \(.*\); cluster local\/kwok has none of them$/,
      );
    });

    it("skips when the cluster did not say what it has (a Kube without a provider)", () => {
      expect(skipReason(needing("pull", "authRegistry"), { provider: "fake" })).to.equal(
        `needs ${AUTH_REGISTRY}; cluster fake did not say what it has`,
      );
    });
  });

  it("runScenario starts nothing on a cluster that lacks a capability: no namespace, no watch, no request", async () => {
    const h = harness({ provider: "local", cluster: clusterWith(KWOK), attempt: 2 });
    const run = await runScenario(needing("pull", "authRegistry"), h.ctx);
    expect(run).to.deep.include({
      name: "pull",
      attempt: 2,
      status: "skipped",
      ttdMs: null,
      rtoMs: null,
      provider: "local",
      namespace: "",
      reasons: [`needs ${AUTH_REGISTRY}; cluster local/kwok has none`],
      timeline: [],
      evidence: [],
      simulated: false,
      cleanup: { ok: true, leftovers: [] },
    });
    expect(run.phasesMs).to.equal(undefined);
    expect(h.kube.calls, "not one API request").to.deep.equal([]);
    expect(h.phases, "no phase entered").to.deep.equal([]);
  });

  it("runSuite under --repeat skips each attempt, makes no heartbeat Lease, and reports the run skipped", async () => {
    const h = harness({ provider: "local", cluster: clusterWith(KWOK) });
    const report = await runSuite(built(needing("pull", "authRegistry")), {
      ...h.ctx,
      repeat: 3,
      sweep: false,
    });
    expect(report.scenarios.map((r) => [r.attempt, r.status])).to.deep.equal([
      [1, "skipped"],
      [2, "skipped"],
      [3, "skipped"],
    ]);
    expect(report.status).to.equal("skipped");
    expect(report.aggregates[0]).to.deep.include({ name: "pull", runs: 3, passed: 0, status: "skipped" });
    expect(
      h.kube.calls.filter((c) => c.method !== "serverVersion"),
      "nothing created, not even the Lease",
    ).to.deep.equal([]);
    const said = h.log.lines.map((l) => `${l.level} ${l.message}`);
    expect(said).to.include(`info pull (attempt 2/3): skipped: needs ${AUTH_REGISTRY}; cluster local/kwok has none`);
    expect(said).to.include("warn every scenario is skipped on cluster local/kwok: it lacks what they require");
    expect(report.timing).to.deep.include({ attemptsMs: 0, phasesMs: {}, maxConcurrent: 0 });
  });

  it("a skipped scenario hides no other outcome: beside an error the run is error, the skipped one still listed", async () => {
    const h = harness({ provider: "local", cluster: clusterWith(KWOK) });
    const report = await runSuite(built(needing("pull", "authRegistry"), scenario("big", { requires: { nodes: 3 } })), {
      ...h.ctx,
      sweep: false,
      heartbeat: false,
    });
    expect(report.scenarios.map((r) => [r.name, r.status])).to.deep.equal([
      ["pull", "skipped"],
      ["big", "error"],
    ]);
    expect(report.status).to.equal("error");
    expect(report.aggregates.map((a) => [a.name, a.status])).to.deep.equal([
      ["pull", "skipped"],
      ["big", "error"],
    ]);
  });
});
