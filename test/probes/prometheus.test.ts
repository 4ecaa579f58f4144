import { expect } from "chai";
import { parsePromFloat } from "../../src/probes/shared/prometheus-api.ts";
import { stepEnv } from "../engine/step-env.ts";
import { FakePrometheus } from "./fake-prometheus.ts";

const ERRORS = 'sum by (service) (rate(http_requests_total{code=~"5.."}[1m]))';

describe("prometheus probe and signal", () => {
  let prom: FakePrometheus;
  beforeEach(async () => {
    prom = await new FakePrometheus().start();
  });
  afterEach(() => prom.stop());

  /** A StepContext whose fetch is the real one, so requests reach the fake server. */
  function env() {
    const e = stepEnv();
    e.ctx.fetch = (url, init) => fetch(url, init);
    return e;
  }

  it("probe with a query: holds while every value passes, and says which do not", async () => {
    const e = env();
    const probe = e.probe("prometheus", { url: prom.url, query: ERRORS, op: "<", value: 0.05 });
    expect(probe.kinds).to.deep.equal([]);
    expect(probe.pollIntervalMs).to.equal(2000);
    prom.vector(ERRORS, [
      { metric: { service: "checkout" }, value: "0.01" },
      { metric: { service: "cart" }, value: "0" },
    ]);
    expect(await probe.evaluate(e.ctx)).to.deep.equal({
      ok: true,
      message: `${ERRORS} < 0.05 holds: 0.01 {service="checkout"}; 0 {service="cart"}`,
      simulated: false,
    });
    expect(prom.requests).to.deep.equal([`query ${ERRORS}`]); // the PromQL arrived intact (URL-encoded)
    prom.vector(ERRORS, [
      { metric: { service: "checkout" }, value: "0.25" },
      { metric: { service: "cart" }, value: "0" },
    ]);
    expect(await probe.evaluate(e.ctx)).to.deep.equal({
      ok: false,
      message: `${ERRORS} < 0.05 does not hold: 0.25 {service="checkout"}`,
      simulated: false,
    });
    prom.vector(ERRORS, []);
    expect((await probe.evaluate(e.ctx)).message).to.equal(`${ERRORS} < 0.05: the query gave no value (no series)`);
  });

  it("signal with a query: seen when any value passes, with the value as evidence", async () => {
    const e = env();
    const signal = e.signal("prometheus", {
      url: `${prom.url}/`,
      query: ERRORS,
      op: ">",
      value: 0.05,
      interval: "500ms",
    });
    expect(signal.pollIntervalMs).to.equal(500);
    expect(signal.perChange).to.equal(undefined); // a state detector: a pre-fault value needs to clear first
    prom.vector(ERRORS, [{ metric: { service: "checkout" }, value: "0.01" }]);
    expect(await signal.match(e.ctx, undefined)).to.equal(undefined);
    prom.vector(ERRORS, [
      { metric: { service: "cart" }, value: "0.02" },
      { metric: { service: "checkout" }, value: "0.4" },
    ]);
    expect(await signal.match(e.ctx, undefined)).to.deep.equal({
      kind: "prometheus",
      text: `${ERRORS} = 0.4 {service="checkout"} (> 0.05)`,
      simulated: false,
    });
  });

  it("a scalar result, Prometheus's +Inf/NaN spellings, and a comparison NaN never passes", async () => {
    const e = env();
    prom.queries.set("scalar(up)", { resultType: "scalar", result: [1767225600, "3"] });
    expect(
      await e.signal("prometheus", { url: prom.url, query: "scalar(up)", op: ">=", value: 3 }).match(e.ctx, undefined),
    ).to.have.property("text", "scalar(up) = 3 (>= 3)");
    expect(parsePromFloat("+Inf")).to.equal(Infinity);
    expect(parsePromFloat("-Inf")).to.equal(-Infinity);
    expect(parsePromFloat("1e+00")).to.equal(1);
    expect(Number.isNaN(parsePromFloat("NaN"))).to.equal(true);
    prom.vector("latency", [{ metric: {}, value: "NaN" }]);
    expect(
      await e.signal("prometheus", { url: prom.url, query: "latency", op: ">", value: 0 }).match(e.ctx, undefined),
    ).to.equal(undefined);
    prom.vector("latency", [{ metric: {}, value: "+Inf" }]);
    expect(
      await e.signal("prometheus", { url: prom.url, query: "latency", op: ">", value: 1e9 }).match(e.ctx, undefined),
    ).to.have.property("text", "latency = +Inf (> 1000000000)");
  });

  it("errors: the server's error text, a range vector, an unreachable server; a signal is not seen", async () => {
    const e = env();
    const probe = (query: string, url = prom.url) => e.probe("prometheus", { url, query, op: "<", value: 1 });
    expect((await probe("rate(x[").evaluate(e.ctx)).message).to.equal(
      `query rate(x[ at ${prom.url}: HTTP 400, bad_data: invalid parameter "query": parse error`,
    );
    prom.queries.set("x[5m]", { resultType: "matrix", result: [] });
    expect((await probe("x[5m]").evaluate(e.ctx)).message).to.match(
      /gives a matrix result; a number or an instant vector/,
    );
    prom.queries.set("html", { status: 502, body: "<html>bad gateway</html>" });
    expect((await probe("html").evaluate(e.ctx)).message).to.equal(
      `query html at ${prom.url}: HTTP 502, not a Prometheus API answer (the body is not JSON)`,
    );
    await prom.stop();
    const down = await probe("up").evaluate(e.ctx);
    expect(down.ok).to.equal(false);
    expect(down.message).to.match(/^query up at http:\/\/127\.0\.0\.1:\d+: /);
    expect(
      await e.signal("prometheus", { url: prom.url, query: "up", op: "<", value: 1 }).match(e.ctx, undefined),
    ).to.equal(undefined);
    expect(e.log.lines.some((l) => l.message.startsWith("prometheus signal: query up"))).to.equal(true);
  });

  it("alert: the signal is seen only when firing (with its labels), the probe holds until then", async () => {
    const e = env();
    const signal = e.signal("prometheus", { url: prom.url, alert: "CheckoutErrors", labels: { severity: "page" } });
    const probe = e.probe("prometheus", { url: prom.url, alert: "CheckoutErrors" });
    expect(await signal.match(e.ctx, undefined)).to.equal(undefined);
    expect(await probe.evaluate(e.ctx)).to.deep.equal({
      ok: true,
      message: "alert CheckoutErrors not firing",
      simulated: false,
    });
    const labels = { alertname: "CheckoutErrors", severity: "page" };
    prom.alerts = [
      { labels: { alertname: "Other", severity: "page" }, state: "firing" },
      { labels, state: "pending", activeAt: "2026-12-01T10:00:00Z", value: "2.5e-01" },
    ];
    expect(await signal.match(e.ctx, undefined)).to.equal(undefined);
    expect((await probe.evaluate(e.ctx)).message).to.match(/^alert CheckoutErrors not firing \(pending: /);
    prom.alerts = [
      { labels: { alertname: "CheckoutErrors", severity: "ticket" }, state: "firing" },
      { labels, state: "firing", activeAt: "2026-12-01T10:00:00Z", value: "2.5e-01" },
    ];
    expect(await signal.match(e.ctx, undefined)).to.deep.equal({
      kind: "prometheus",
      text: 'alert CheckoutErrors firing: {alertname="CheckoutErrors", severity="page"} active since 2026-12-01T10:00:00Z, value 2.5e-01',
      simulated: false,
    });
    expect(await probe.evaluate(e.ctx)).to.have.property("ok", false);
    expect(signal.describe()).to.equal(`prometheus alert CheckoutErrors{severity="page"} at ${prom.url} fires`);
  });
});
