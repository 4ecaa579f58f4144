import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { checkScenarios } from "../../src/pipeline/check.ts";
import { judgeLoad } from "../../src/probes/shared/load-verdict.ts";
import type { DataPlane, LoadMeasurement, LoadParams } from "../../src/sdk/types.ts";
import { NS, stepEnv } from "../engine/step-env.ts";

/** 200 requests over 10s at 20/s, all answered 2xx unless `o` says otherwise. */
const measured = (o: Partial<LoadMeasurement> = {}): LoadMeasurement => ({
  scheduled: 200,
  sent: 200,
  notSent: 0,
  ok: 200,
  timeouts: 0,
  statuses: {},
  connectionErrors: {},
  otherBackends: {},
  latencyMs: { p50: 12, p95: 14, p99: 20 },
  windowMs: 10_000,
  maxLateMs: 3,
  timeoutMs: 1000,
  ...o,
});

const fakeDataPlane = (m: LoadMeasurement, calls: LoadParams[] = [], modelled = false): DataPlane => ({
  ...(modelled ? { modelled: true } : {}),
  connectivity: () => ({ ok: true, message: "" }),
  route: () => ({ ok: true, message: "" }),
  load: async (p) => (calls.push(p), m),
});

describe("load probe", () => {
  describe("verdict", () => {
    it("the message carries every figure: requests, window, rate, errors by kind, rate, percentiles, budget", () => {
      const m = measured({ ok: 194, timeouts: 6, latencyMs: { p50: 12, p95: 14, p99: 1000 } });
      expect(judgeLoad("shop.example/work", m, { maxErrorRate: 1, maxP95Ms: 500, rps: 20 })).to.deep.equal({
        ok: false,
        message:
          "shop.example/work: 200 requests in 10.0s at 20.0/s: 6 errors (3.0%): 6 timed out (no answer within 1000ms); p50 12ms p95 14ms p99 1000ms; budget 1% errors, p95 500ms; over budget: 3.0% errors > 1%",
      });
      expect(judgeLoad("shop.example/work", m, { maxErrorRate: 5, rps: 20 }).ok).to.equal(true);
    });

    it("fails on p95 alone; lists statuses, connection errors, stray backends and unsent requests", () => {
      const m = measured({
        ok: 190,
        statuses: { "503": 3, "404": 1 },
        connectionErrors: { ECONNRESET: 2, ECONNREFUSED: 1 },
        otherBackends: { "kd-x/canary": 1 },
        sent: 198,
        notSent: 2,
        latencyMs: { p50: 10, p95: 700, p99: 700 },
      });
      const v = judgeLoad("*/", m, { maxErrorRate: 10, maxP95Ms: 500, rps: 20 });
      expect(v.ok).to.equal(false);
      expect(v.message).to.equal(
        "*/: 200 requests in 10.0s at 19.8/s: 10 errors (5.0%): 3 HTTP 503, 1 HTTP 404, 3 connection errors (ECONNRESET 2, ECONNREFUSED 1), 1 answered by kd-x/canary, 2 not sent (the client's in-flight limit); p50 10ms p95 700ms p99 700ms; budget 10% errors, p95 500ms; over budget: p95 700ms > 500ms",
      );
    });

    it("a client that fell far behind does not pass, however clean its few answers", () => {
      const m = measured({ sent: 90, ok: 90, scheduled: 200, windowMs: 10_000, maxLateMs: 4000 });
      expect(judgeLoad("*/", m, { maxErrorRate: 1, rps: 20 })).to.deep.equal({
        ok: false,
        message:
          "*/: 90 requests in 10.0s at 9.0/s (asked 20/s): no errors (0.0%); p50 12ms p95 14ms p99 20ms; budget 1% errors; too little load to pass: the client sent under 50% of the asked rate; sends fell up to 4000ms behind schedule (a busy client)",
      });
    });

    it("a window in which nothing could be sent is all errors, with no latency to show", () => {
      const m = measured({ sent: 0, notSent: 200, ok: 0 });
      delete m.latencyMs;
      expect(judgeLoad("*/", m, { maxErrorRate: 1, rps: 20 }).message).to.equal(
        "*/: 200 requests in 10.0s at 0.0/s (asked 20/s): 200 errors (100.0%): 200 not sent (the client's in-flight limit); no latency measured; budget 1% errors; over budget: 100.0% errors > 1%; too little load to pass: the client sent under 50% of the asked rate",
      );
    });
  });

  describe("plug-in", () => {
    it("asks the real data plane for a window with the scenario's parameters and judges it", async () => {
      const e = stepEnv();
      const calls: LoadParams[] = [];
      e.ctx.dataPlane = fakeDataPlane(measured({ ok: 199, statuses: { "502": 1 } }), calls);
      const probe = e.probe("load", { host: "shop.example", path: "/work", rps: 20, duration: "10s", maxErrorRate: 1 });
      expect(probe.kinds).to.deep.equal([]);
      expect(probe.pollIntervalMs).to.equal(1000);
      expect(probe.describe()).to.equal("20/s for 10.0s to shop.example/work within 1% errors");
      const r = await probe.evaluate(e.ctx);
      expect(r).to.include({ ok: true, simulated: false });
      expect(r.message).to.match(
        /^shop\.example\/work: 200 requests in 10\.0s at 20\.0\/s: 1 error \(0\.5%\): 1 HTTP 502;/,
      );
      expect(calls).to.deep.equal([
        { host: "shop.example", path: "/work", rps: 20, durationMs: 10_000, timeoutMs: 1000, namespace: NS },
      ]);
    });

    it("with expectService it watches the Pods and Services that name the backends", () => {
      const e = stepEnv();
      const probe = e.probe("load", {
        path: "/",
        rps: 10,
        duration: "5s",
        timeout: "2s",
        maxErrorRate: 0.5,
        maxP95: "800ms",
        expectService: "api",
        interval: "30s",
      });
      expect(probe.kinds.map((k) => k.kind)).to.deep.equal(["Pod", "Service"]);
      expect(probe.pollIntervalMs).to.equal(30_000);
      expect(probe.describe()).to.equal("10/s for 5.00s to */ (service api) within 0.5% errors, p95 800ms");
    });

    it("does not hold on a modelled data plane, and asks it for nothing: no figures are invented", async () => {
      const e = stepEnv();
      const calls: LoadParams[] = [];
      e.ctx.dataPlane = fakeDataPlane(measured(), calls, true);
      const probe = e.probe("load", { path: "/", rps: 20, duration: "10s", maxErrorRate: 1 });
      expect(await probe.evaluate(e.ctx)).to.deep.equal({
        ok: false,
        message:
          "load */: needs a real data plane (HTTP requests through the Ingress controller); this cluster's is a model worked out from cluster state (kwok nodes), which has no latency or error rate to measure",
        simulated: false,
      });
      expect(calls).to.deep.equal([]);
      delete e.ctx.dataPlane;
      expect((await probe.evaluate(e.ctx)).message).to.equal(
        "load */: needs a real data plane (HTTP requests through the Ingress controller); this cluster provides none",
      );
    });
  });

  describe("validation", () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kd-load-"))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    async function problems(load: string): Promise<string[]> {
      const file = join(dir, "s.yaml");
      await writeFile(
        file,
        [
          "apiVersion: kubedrill.io/v1alpha1",
          "kind: Scenario",
          "metadata: { name: load }",
          "spec:",
          "  targets: { detectWithin: 1m, recoverWithin: 2m }",
          "  steadyState:",
          `    - load: ${load}`,
          "  fault:",
          "    - restartPods: { selector: app=web }",
          "  detect:",
          "    signals:",
          `      - probeFails: { probe: { load: ${load} } }`,
          "  remediate:",
          "    external: { description: the controller }",
          "",
        ].join("\n"),
      );
      const r = await checkScenarios([file], { cwd: dir });
      return [...new Set(r.problems.map((p) => `${p.field} ${p.message}`))];
    }

    it("accepts a window of at least 20 requests with a budget", async () => {
      expect(
        await problems("{ host: shop.example, path: /work, rps: 20, duration: 10s, maxErrorRate: 1, maxP95: 500ms }"),
      ).to.deep.equal([]);
    });

    it("refuses too few requests, a p95 budget the time-out cannot exceed, and a rate over 100%", async () => {
      const found = await problems("{ path: /, rps: 2, duration: 5s, maxErrorRate: 150, maxP95: 1s }");
      expect(found.join("\n")).to.include("rps × duration gives 10 request(s) a window; at least 20");
      expect(found.join("\n")).to.include(
        "must be below timeout (1000ms): a timed-out request counts at the time-out, so p95 never exceeds it",
      );
      expect(found.join("\n")).to.match(/maxErrorRate .*100/);
    });

    it("needs path, rps, duration and maxErrorRate", async () => {
      const found = (await problems("{ path: / }")).join("\n");
      for (const k of ["rps", "duration", "maxErrorRate"]) expect(found).to.include(k);
    });
  });
});
