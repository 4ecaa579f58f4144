import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { checkScenarios } from "../../src/pipeline/check.ts";
import type { DataPlane, RequestParams } from "../../src/sdk/types.ts";
import { stepEnv } from "../engine/step-env.ts";

/**
 * A store behind a fake data plane: POST /append?seq=N&writer=W keeps N (unless `drop`
 * says the store acknowledges it and then loses it, or `refuse` gives the status it
 * answers instead), GET /log?writer=W answers W's numbers, one a line.
 */
function fakeStore(o: { drop?: (seq: number) => boolean; refuse?: (seq: number) => number | undefined } = {}) {
  const kept = new Map<string, number[]>();
  const calls: RequestParams[] = [];
  const dp: DataPlane = {
    connectivity: () => ({ ok: true, message: "" }),
    route: () => ({ ok: true, message: "" }),
    request: async (p) => {
      calls.push(p);
      const url = new URL(`http://x${p.path}`);
      const writer = url.searchParams.get("writer") ?? "-";
      if (p.method === "GET") return { status: 200, body: (kept.get(writer) ?? []).map((s) => `${s}\n`).join("") };
      const seq = Number(url.searchParams.get("seq"));
      const status = o.refuse?.(seq);
      if (status !== undefined) return { status, body: "no space left on device" };
      if (!o.drop?.(seq)) kept.set(writer, [...(kept.get(writer) ?? []), seq]);
      return { status: 200, body: `${seq}\n` };
    },
  };
  return { dp, calls, posts: () => calls.filter((c) => c.method === "POST").length };
}

const PARAMS = { host: "wal.example", rate: 5, maxLost: 0 };

/** Starts the probe's writer and lets `ms` of fake time pass (5 writes a second: one every 200ms). */
async function writeFor(ms: number, store: ReturnType<typeof fakeStore>, params: Record<string, unknown> = PARAMS) {
  const e = stepEnv();
  e.ctx.dataPlane = store.dp;
  const probe = e.probe("acknowledgedWrites", params);
  const started = probe.start!(e.ctx);
  await e.clock.advance(ms);
  return { e, probe, started };
}

describe("acknowledgedWrites probe", () => {
  it("a store that keeps every acknowledged write: nothing lost, the probe holds, with the figures", async () => {
    const store = fakeStore();
    const { e, probe, started } = await writeFor(1000, store);
    await started.stop();
    const r = await probe.evaluate(e.ctx);
    expect(r).to.include({ ok: true, simulated: false });
    expect(r.writes).to.deep.equal({ acknowledged: 6, lost: 0, target: 0, notAcknowledged: 0 });
    expect(r.message).to.equal(
      "wal.example/append: 6 write(s) acknowledged, 0 lost (target 0); every write acknowledged; writing stopped",
    );
    expect(store.calls[0]).to.deep.include({ host: "wal.example", method: "POST", timeoutMs: 2000 });
    expect(store.calls[0]!.path).to.match(/^\/append\?seq=1&writer=kd-[0-9a-f]{8}$/);
    expect(probe.describe()).to.equal(
      "writes acknowledged at 5/s by wal.example/append are read back from /log, at most 0 lost",
    );
  });

  it("a store that loses acknowledged writes: they are counted and named, and the stopped probe fails", async () => {
    const store = fakeStore({ drop: (seq) => seq === 3 || seq === 4 });
    const { e, probe, started } = await writeFor(1000, store);
    // while writing the question is availability (RTO): acknowledged again holds, the loss is said
    const writing = await probe.evaluate(e.ctx);
    expect(writing.ok).to.equal(true);
    expect(writing.message).to.include("2 lost (target 0): seq 3, 4");
    await started.stop();
    const r = await probe.evaluate(e.ctx);
    expect(r.ok).to.equal(false);
    expect(r.writes).to.deep.equal({ acknowledged: 6, lost: 2, target: 0, notAcknowledged: 0 });
    expect(r.message).to.match(/^wal\.example\/append: 6 write\(s\) acknowledged, 2 lost \(target 0\): seq 3, 4;/);
    // within a target that allows them, the same loss passes
    const lenient = await writeFor(1000, fakeStore({ drop: (seq) => seq === 3 || seq === 4 }), {
      ...PARAMS,
      maxLost: 2,
    });
    await lenient.started.stop();
    expect((await lenient.probe.evaluate(lenient.e.ctx)).ok).to.equal(true);
  });

  it("refused writes are not acknowledged, never lost; while writing, the latest refusal fails the probe", async () => {
    let full = false;
    const store = fakeStore({ refuse: () => (full ? 507 : undefined) });
    const { e, probe, started } = await writeFor(400, store);
    full = true;
    await e.clock.advance(400);
    const during = await probe.evaluate(e.ctx);
    expect(during.ok).to.equal(false);
    expect(during.writes).to.deep.equal({ acknowledged: 3, lost: 0, target: 0, notAcknowledged: 2 });
    expect(during.message).to.equal(
      "wal.example/append: 3 write(s) acknowledged, 0 lost (target 0); 2 not acknowledged (HTTP 507 ×2); latest write (seq 5) not acknowledged: HTTP 507",
    );
    full = false;
    await e.clock.advance(200);
    expect((await probe.evaluate(e.ctx)).ok).to.equal(true); // acknowledged again: recovered
    await started.stop();
  });

  it("stops writing when stopped, on every path: no write after stop(), and stop() is idempotent", async () => {
    const store = fakeStore();
    const { e, started } = await writeFor(600, store);
    await Promise.all([started.stop(), started.stop()]);
    const sent = store.posts();
    await e.clock.advance(5000);
    expect(store.posts()).to.equal(sent);
  });

  it("does not hold before anything was written; a failed read-back keeps the acknowledged count, lost unknown", async () => {
    const e = stepEnv();
    e.ctx.dataPlane = {
      ...fakeStore().dp,
      request: async (p) => (p.method === "GET" ? { status: 503, body: "" } : { status: 200, body: "" }),
    };
    const probe = e.probe("acknowledgedWrites", PARAMS);
    expect((await probe.evaluate(e.ctx)).message).to.equal(
      "wal.example/append: nothing written yet (writing starts with the steady state)",
    );
    const started = probe.start!(e.ctx);
    await e.clock.advance(200);
    expect(await probe.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message: "wal.example/append: reading back /log: HTTP 503 (2 write(s) acknowledged, lost unknown)",
      simulated: false,
      writes: { acknowledged: 2, lost: null, target: 0, notAcknowledged: 0 },
    });
    await started.stop();
  });

  it("on a modelled data plane it writes nothing and invents no figures", async () => {
    const e = stepEnv();
    const store = fakeStore();
    e.ctx.dataPlane = { ...store.dp, modelled: true };
    const probe = e.probe("acknowledgedWrites", PARAMS);
    const started = probe.start!(e.ctx);
    await e.clock.advance(1000);
    await started.stop();
    expect(await probe.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message:
        "acknowledgedWrites wal.example/append: needs a real data plane (HTTP requests through the Ingress controller); this cluster's is a model worked out from cluster state (kwok nodes), which stores nothing",
      simulated: false,
    });
    expect(store.calls).to.deep.equal([]);
  });

  describe("validation", () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kd-writes-"))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    async function problems(writes: string): Promise<string> {
      const file = join(dir, "s.yaml");
      await writeFile(
        file,
        [
          "apiVersion: kubedrill.io/v1alpha1",
          "kind: Scenario",
          "metadata: { name: writes }",
          "spec:",
          "  targets: { detectWithin: 1m, recoverWithin: 2m }",
          "  steadyState:",
          "    - podsReady: { selector: app=wal }",
          "  fault:",
          "    - restartPods: { selector: app=wal }",
          "  detect:",
          "    signals:",
          "      - event: { reason: Killing }",
          "  remediate:",
          "    external: { description: the controller }",
          "  recover:",
          `    rpo: [{ acknowledgedWrites: ${writes} }]`,
          "",
        ].join("\n"),
      );
      const r = await checkScenarios([file], { cwd: dir });
      return r.problems.map((p) => `${p.field} ${p.message}`).join("\n");
    }

    it("accepts a rate with the defaults", async () => {
      expect(await problems("{ host: wal.example, rate: 5 }")).to.equal("");
    });

    it("refuses a missing or too high rate, a path without /, a negative or fractional maxLost", async () => {
      expect(await problems("{ host: wal.example }")).to.match(/rate/);
      expect(await problems("{ rate: 500 }")).to.match(/rate/);
      expect(await problems("{ rate: 5, appendPath: append }")).to.match(/appendPath/);
      expect(await problems("{ rate: 5, maxLost: -1 }")).to.match(/maxLost/);
      expect(await problems("{ rate: 5, maxLost: 0.5 }")).to.match(/maxLost/);
    });
  });
});
