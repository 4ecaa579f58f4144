import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { realDataPlane } from "../../src/dataplane/real.ts";
import { judgeLoad } from "../../src/probes/shared/load-verdict.ts";
import type { LoadParams } from "../../src/sdk/types.ts";
import type { ClusterSnapshot } from "../../src/diagnose/types.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { httpGet } from "../../src/util/http.ts";
import { processResult } from "../fakes/process.ts";

const NS = "kd-load";

/** A real HTTP server on 127.0.0.1 whose answer to the i-th request (from 0) the test decides. */
async function server(answer: (i: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: { host: string | undefined; path: string | undefined }[] = [];
  const s = http.createServer((req, res) => {
    seen.push({ host: req.headers.host, path: req.url });
    answer(seen.length - 1, req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      s.closeAllConnections();
      return new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

type Server = Awaited<ReturnType<typeof server>>;
const servers: Server[] = [];
const start = async (answer: Parameters<typeof server>[0]) => {
  const s = await server(answer);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ok = (_i: number, _req: http.IncomingMessage, res: http.ServerResponse) => res.end("hello\n");
const dataPlane = (ingressURL: string) =>
  realDataPlane({ kubeconfig: "/k", run: async () => processResult(), ingressURL, fetch: httpGet });
const snap = { pods: [], services: [] } as unknown as ClusterSnapshot;
const ctx = (signal?: AbortSignal) => ({ namespace: NS, snapshot: () => snap, ...(signal ? { signal } : {}) });
// 100 requests in 1s: a window long enough to count, short enough for a unit test
const params = (o: Partial<LoadParams> = {}): LoadParams => ({
  host: "shop.example",
  path: "/work",
  rps: 100,
  durationMs: 1000,
  timeoutMs: 1000,
  namespace: NS,
  ...o,
});

describe("real data plane: load windows against a real HTTP server", function () {
  this.timeout(30_000);

  it("counts requests held beyond the time-out as time-outs: 1 in 20 is 5%, over a 1% budget", async () => {
    // held ones are never answered (until the server closes): they can only time out
    const s = await start((i, req, res) => (i % 20 === 0 ? undefined : ok(i, req, res)));
    const m = await dataPlane(s.url).load!(params(), ctx());
    expect(s.seen).to.have.length(100);
    expect(m).to.include({ scheduled: 100, sent: 100, notSent: 0, ok: 95, timeouts: 5 });
    expect(m.latencyMs?.p99, "time-outs count at the time-out").to.equal(1000);
    const v = judgeLoad("shop.example/work", m, { maxErrorRate: 1, rps: 100 });
    expect(v.ok).to.equal(false);
    expect(v.message)
      .to.include("100 requests in")
      .and.include(": 5 errors (5.0%): 5 timed out (no answer within 1000ms); p50 ");
    expect(v.message).to.include("p99 1000ms; budget 1% errors; over budget: 5.0% errors > 1%");
    expect(judgeLoad("shop.example/work", m, { maxErrorRate: 5, rps: 100 }).ok).to.equal(true);
  });

  it("a healthy server passes; every request carries the Host header and the path", async () => {
    const s = await start(ok);
    const m = await dataPlane(s.url).load!(params({ durationMs: 500 }), ctx());
    expect(m).to.include({ scheduled: 50, sent: 50, ok: 50, timeouts: 0 });
    expect(s.seen.every((r) => r.host === "shop.example" && r.path === "/work")).to.equal(true);
    const v = judgeLoad("shop.example/work", m, { maxErrorRate: 1, rps: 100 });
    expect(v.ok, v.message).to.equal(true);
    expect(v.message).to.include(": no errors (0.0%); p50 ");
  });

  it("counts 503s and lost connections as errors, by kind", async () => {
    const s = await start((i, req, res) => {
      if (i % 10 === 0) res.writeHead(503).end("busy\n");
      else if (i % 10 === 5) req.socket.destroy();
      else ok(i, req, res);
    });
    const m = await dataPlane(s.url).load!(params({ durationMs: 500 }), ctx());
    expect(m).to.include({ sent: 50, ok: 40, timeouts: 0 });
    expect(m.statuses).to.deep.equal({ "503": 5 });
    expect(Object.values(m.connectionErrors).reduce((a, b) => a + b, 0)).to.equal(5);
    const v = judgeLoad("*/work", m, { maxErrorRate: 1, rps: 100 });
    expect(v.ok).to.equal(false);
    expect(v.message).to.match(/: 10 errors \(20\.0%\): 5 HTTP 503, 5 connection errors \(ECONNRESET\); p50 /);
  });

  it("with expectService, a 2xx from another Service's pod is an error", async () => {
    const pod = (name: string, app: string) =>
      ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS, labels: { app } } }) as KObject;
    const svc = (name: string) =>
      ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: NS },
        spec: { selector: { app: name } },
      }) as KObject;
    const cluster = {
      pods: [pod("api-1", "api"), pod("canary-1", "canary")],
      services: [svc("api"), svc("canary")],
    } as unknown as ClusterSnapshot;
    const s = await start((i, _req, res) => res.end(JSON.stringify({ hostname: i % 10 === 0 ? "canary-1" : "api-1" })));
    const m = await dataPlane(s.url).load!(params({ durationMs: 500, expectService: "api" }), {
      namespace: NS,
      snapshot: () => cluster,
    });
    expect(m).to.include({ sent: 50, ok: 45 });
    expect(m.otherBackends).to.deep.equal({ [`${NS}/canary`]: 5 });
    expect(judgeLoad("*/work", m, { maxErrorRate: 1, rps: 100 }).message).to.include(`5 answered by ${NS}/canary`);
  });

  it("stops sending and cancels what is in flight when aborted; the window has no verdict", async () => {
    const abort = new AbortController();
    // never answers: every request stays in flight until cancelled
    const s = await start((i) => void (i === 4 && abort.abort(new Error("attempt interrupted"))));
    let err: Error | undefined;
    // 1000 requests over 20s were asked for
    await dataPlane(s.url).load!(params({ rps: 50, durationMs: 20_000, timeoutMs: 10_000 }), ctx(abort.signal)).catch(
      (e: Error) => (err = e),
    );
    expect(err?.message).to.equal("attempt interrupted");
    expect(s.seen.length).to.be.within(5, 100);
  });

  it("runs one window per host at a time: a second caller waits for the first window to end", async () => {
    const s = await start(ok);
    const dp = dataPlane(s.url);
    const p = params({ rps: 100, durationMs: 300 });
    const [a, b] = await Promise.all([dp.load!({ ...p, path: "/a" }, ctx()), dp.load!({ ...p, path: "/b" }, ctx())]);
    expect([a.ok, b.ok]).to.deep.equal([30, 30]);
    expect(s.seen.map((r) => r.path).join("")).to.equal("/a".repeat(30) + "/b".repeat(30));
  });

  it("a caller aborted while it waits for its turn leaves the queue without sending", async () => {
    const s = await start(ok);
    const dp = dataPlane(s.url);
    const abort = new AbortController();
    const first = dp.load!(params({ path: "/a", rps: 100, durationMs: 300 }), ctx());
    const second = dp.load!(params({ path: "/b", rps: 100, durationMs: 300 }), ctx(abort.signal));
    const third = dp.load!(params({ path: "/c", rps: 100, durationMs: 300 }), ctx());
    abort.abort(new Error("stop"));
    const results = await Promise.allSettled([first, second, third]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled"]);
    expect(s.seen.map((r) => r.path).join("")).to.equal("/a".repeat(30) + "/c".repeat(30));
  });

  it("without an Ingress address there is nothing to send to", async () => {
    const dp = realDataPlane({ kubeconfig: "/k", run: async () => processResult() });
    let err: Error | undefined;
    await dp.load!(params(), ctx()).catch((e: Error) => (err = e));
    expect(err?.message).to.equal("no Ingress controller address is known for this cluster");
  });
});
