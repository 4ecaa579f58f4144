import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { httpGet } from "../../src/util/http.ts";

describe("httpGet", () => {
  let server: http.Server;
  let base = "";
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.writeHead(req.url === "/missing" ? 404 : 200);
      res.end(`host=${req.headers.host}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it("sends the Host header it is given (fetch replaces it with the URL's)", async () => {
    const r = await httpGet(`${base}/api`, { headers: { Host: "shop.example" } });
    expect(r.status).to.equal(200);
    expect(await r.text()).to.equal("host=shop.example");
    const plain = await httpGet(`${base}/missing`);
    expect(plain.status).to.equal(404);
    expect(await plain.text()).to.equal(`host=${base.slice("http://".length)}`);
  });

  it("gives up at its timeout and when aborted", async () => {
    const t = await httpGet(`${base}/slow`, { timeoutMs: 100 }).catch((e: Error) => e);
    expect(String(t)).to.include("no answer from");
    const ac = new AbortController();
    const p = httpGet(`${base}/slow`, { signal: ac.signal, timeoutMs: 10_000 }).catch((e: Error) => e);
    ac.abort(new Error("run interrupted"));
    expect(String(await p)).to.include("run interrupted");
  });
});
