import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import type { DataPlane, RequestParams } from "../../src/sdk/types.ts";
import { event } from "../fakes/objects.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { backOffSignal, demoSetup, harness, healthy, NS, setHealthy } from "./harness.ts";

const backOff = () =>
  event("e1", NS, { kind: "Pod", name: "web-0", namespace: NS }, "BackOff", "Back-off restarting failed container");

/** A store that keeps what it acknowledges, except the writes `drop` names; every request recorded with the phase it came in. */
function store(phase: () => string, drop: (seq: number) => boolean = () => false) {
  const kept: number[] = [];
  const calls: (RequestParams & { phase: string })[] = [];
  const dp: DataPlane = {
    connectivity: () => ({ ok: true, message: "" }),
    route: () => ({ ok: true, message: "" }),
    request: async (p) => {
      calls.push({ ...p, phase: phase() });
      const seq = Number(new URL(`http://x${p.path}`).searchParams.get("seq"));
      if (p.method === "GET") return { status: 200, body: kept.map((s) => `${s}\n`).join("") };
      if (!drop(seq)) kept.push(seq);
      return { status: 200, body: "" };
    },
  };
  return { dp, calls };
}

const writes = spec("acknowledgedWrites", { host: "wal.example", rate: 5 }, "spec.recover.rpo[0]");

function demo() {
  return scenario("demo", {
    setup: { steps: [demoSetup()] },
    steadyState: [healthy("yes")],
    fault: [setHealthy("no", "spec.fault[0]")],
    detect: { mode: "all", signals: [backOffSignal()] },
    remediate: { steps: [setHealthy("yes", "spec.remediate.steps[0]")] },
    recover: { probes: [], rpo: [writes], holdForMs: 0 },
  });
}

describe("runScenario with an RPO counted in writes", () => {
  it("writes from the steady state on, stops before the read-back, and reports the figures", async () => {
    const h = harness();
    const s = store(() => h.phases.at(-1)!.phase);
    h.ctx.dataPlane = s.dp;
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(2000);
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("passed");
    expect(r.rpo).to.deep.equal({ acknowledged: 11, lost: 0, target: 0, notAcknowledged: 0 });
    const posts = s.calls.filter((c) => c.method === "POST");
    expect(posts[0]!.phase).to.equal("steady-state");
    // the read-back came after the last write: the count is final
    expect(s.calls.at(-1)).to.include({ method: "GET", phase: "verify" });
    expect(posts.every((c) => c.phase !== "verify" && c.phase !== "cleanup")).to.equal(true);
  });

  it("fails the attempt when acknowledged writes are missing, with the count in the reason", async () => {
    const h = harness();
    const s = store(
      () => h.phases.at(-1)!.phase,
      (seq) => seq % 2 === 0,
    );
    h.ctx.dataPlane = s.dp;
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(1000);
    h.kube.put(backOff());
    const r = await run;
    expect(r.status).to.equal("failed");
    expect(r.rpo).to.deep.equal({ acknowledged: 6, lost: 3, target: 0, notAcknowledged: 0 });
    expect(r.reasons).to.have.length(1);
    expect(r.reasons[0]).to.match(
      /^RPO 3 acknowledged write\(s\) lost exceeded target 0 \(of 6 acknowledged\): .*seq 2, 4, 6;/,
    );
  });

  it("an attempt cut short (interrupted) still stops the writer: nothing is written after cleanup", async () => {
    const h = harness();
    const s = store(() => h.phases.at(-1)!.phase);
    h.ctx.dataPlane = s.dp;
    const stop = new AbortController();
    h.ctx.signal = stop.signal;
    const run = runScenario(demo(), h.ctx);
    await h.inPhase("detect");
    await h.clock.advance(600);
    stop.abort(new Error("SIGINT"));
    const r = await run;
    expect(r.status).to.equal("aborted");
    expect(r.rpo).to.equal(undefined);
    const sent = s.calls.length;
    await h.clock.advance(5000);
    expect(s.calls.length).to.equal(sent);
  });
});
