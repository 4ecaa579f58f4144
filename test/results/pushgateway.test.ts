import { expect } from "chai";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubedrillError } from "../../src/errors.ts";
import { pushMetrics, pushTarget } from "../../src/results/pushgateway.ts";
import { repeatRunReport } from "../reporters/fixture.ts";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A stand-in Pushgateway on 127.0.0.1 that records each request and answers `status`. */
async function gateway(status = 200): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "" : "text format parsing error in line 3: secret-looking detail");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

describe("--pushgateway", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it("PUTs the Prometheus text to /metrics/job/kubedrill on a real HTTP server", async () => {
    const g = await gateway();
    servers.push(g.server);
    const pushed = await pushMetrics(g.url, repeatRunReport());
    expect(pushed).to.equal(`${g.url}/metrics/job/kubedrill`);
    expect(g.received).to.have.length(1);
    const [r] = g.received;
    expect(r!.method).to.equal("PUT");
    expect(r!.url).to.equal("/metrics/job/kubedrill");
    expect(r!.headers["content-type"]).to.equal("text/plain; version=0.0.4; charset=utf-8");
    expect(r!.body).to.match(/^kubedrill_attempt_rto_seconds\{scenario="disk-full",attempt="3"\} 131$/m);
    expect(r!.body).to.not.match(/# EOF/);
  });

  it("keeps a group the URL names, and sends credentials in the URL as a header, not in the URL", async () => {
    const g = await gateway();
    servers.push(g.server);
    const withUser = g.url.replace("http://", "http://drill:s3cret@") + "/metrics/job/nightly/env/staging";
    const pushed = await pushMetrics(withUser, repeatRunReport());
    expect(pushed).to.equal(`${g.url}/metrics/job/nightly/env/staging`);
    expect(g.received[0]!.url).to.equal("/metrics/job/nightly/env/staging");
    expect(g.received[0]!.headers.authorization).to.equal(`Basic ${Buffer.from("drill:s3cret").toString("base64")}`);
  });

  it("fails with the status the gateway answered, never its body", async () => {
    const g = await gateway(400);
    servers.push(g.server);
    const err = await pushMetrics(g.url, repeatRunReport()).then(
      () => expect.fail("should fail"),
      (e: unknown) => e as Error,
    );
    expect(err).to.be.instanceOf(KubedrillError);
    expect(err.message).to.equal(
      `pushing metrics to ${g.url}/metrics/job/kubedrill: the Pushgateway answered 400 Bad Request`,
    );
    expect(err.message).to.not.match(/parsing error|secret/);
  });

  it("refuses what is not an http(s) URL", () => {
    expect(() => pushTarget("pushgateway:9091")).to.throw(/must be an http or https URL/);
    expect(() => pushTarget("not a url")).to.throw(/is not a URL/);
  });
});
