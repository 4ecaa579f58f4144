import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { AbortedError } from "../../src/errors.ts";
import { scenario } from "../fakes/scenario.ts";
import { backOffSignal, demoSetup, harness, healthy, NS, setHealthy } from "./harness.ts";

describe("runScenario abort", () => {
  it("aborted mid-detect: deletes the namespace (which undoes the fault in it), reports aborted with what it had", async () => {
    const ac = new AbortController();
    const h = harness({ signal: ac.signal });
    const s = scenario("demo", {
      setup: { steps: [demoSetup()] },
      steadyState: [healthy("yes")],
      fault: [setHealthy("no", "spec.fault[0]")],
      detect: { mode: "all", signals: [backOffSignal()] },
      remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
    });
    const run = runScenario(s, h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(4000);
    ac.abort(new AbortedError("interrupted by SIGINT"));
    const r = await run;
    expect(r.status).to.equal("aborted");
    expect(r.reasons).to.deep.equal(["aborted during detect"]);
    expect(r.ttdMs).to.equal(null);
    expect(r.rtoMs).to.equal(null);
    // no remediation ran; the fault's change went with the namespace (no restore patch in it)
    // (the cleanup check's mark on the terminating namespace is not a restore)
    const patches = h.kube
      .callsOf("patch")
      .filter((c) => (c.args[0] as { kind: string }).kind !== "Namespace")
      .map((c) => c.args[1]);
    expect(patches).to.deep.equal([{ data: { healthy: "no" } }]);
    expect(h.kube.callsOf("delete").map((c) => (c.args[0] as { kind: string }).kind)).to.include("Namespace");
    expect(h.kube.object({ apiVersion: "v1", kind: "Namespace", name: NS })).to.equal(undefined);
    expect(h.kube.liveWatches()).to.have.length(0);
    // partial report: the timeline up to the abort, then cleanup
    const phases = r.timeline.map((t) => t.phase);
    expect(phases).to.include.members(["setup", "steady-state", "inject", "detect", "cleanup"]);
    expect(phases).to.not.include("remediate");
    expect(r.cleanup.ok).to.equal(true);
    expect(r.finishedAt).to.equal(new Date(h.t0 + 4000).toISOString());
  });

  it("aborted before it starts: nothing is injected, the namespace is still removed", async () => {
    const ac = new AbortController();
    ac.abort();
    const h = harness({ signal: ac.signal });
    const r = await runScenario(
      scenario("demo", { setup: { steps: [demoSetup()] }, fault: [setHealthy("no", "spec.fault[0]")] }),
      h.ctx,
    );
    expect(r.status).to.equal("aborted");
    expect(h.kube.callsOf("patch").filter((c) => (c.args[0] as { kind: string }).kind !== "Namespace")).to.have.length(
      0,
    );
    expect(h.kube.objects("Namespace")).to.have.length(0);
  });
});
