import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { RestClient } from "../../src/k8s/rest.ts";
import net from "node:net";
import { resumableWatch } from "../../src/k8s/watch.ts";
import type { KObject, WatchEvent } from "../../src/k8s/types.ts";
import { systemClock } from "../../src/util/clock.ts";

const pod = (name: string, rv: string) => ({ metadata: { name, namespace: "ns", resourceVersion: rv } });

/** A tiny API server: lists and watches of pods in "ns", scripted per resourceVersion. */
function fakeApi(script: {
  lists: Record<string, { items: object[]; rv: string }>;
  watches: Record<string, (res: http.ServerResponse) => void>;
}) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    requests.push(url.pathname + url.search);
    res.setHeader("Content-Type", "application/json");
    if (url.searchParams.get("watch") === "true") {
      const w = script.watches[url.searchParams.get("resourceVersion") ?? ""];
      if (!w) return res.end();
      return w(res);
    }
    const l = script.lists[url.searchParams.get("resourceVersion") ?? "now"]!;
    res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: l.rv }, items: l.items }));
  });
  return { server, requests };
}

describe("k8s: resumable watch", () => {
  let server: http.Server;
  afterEach(() => new Promise((r) => server.close(r)));

  it("after 410 Gone re-lists and reports what was deleted in the gap, then resumes", async () => {
    const api = fakeApi({
      lists: { "5": { items: [pod("a", "3"), pod("b", "4")], rv: "5" }, now: { items: [pod("a", "3")], rv: "20" } },
      watches: {
        "5": (res) =>
          res.end(JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } }) + "\n"),
        "20": (res) => res.write(JSON.stringify({ type: "ADDED", object: pod("c", "21") }) + "\n"),
      },
    });
    server = api.server;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: "u" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const events: WatchEvent[] = [];
    const list = async (at?: string) => {
      const res = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/ns/pods${at ? `?resourceVersion=${at}` : ""}`,
      );
      const body = (await res.json()) as { items: KObject[]; metadata: { resourceVersion: string } };
      return { items: body.items, resourceVersion: body.metadata.resourceVersion };
    };
    const errors: Error[] = [];
    const h = await resumableWatch(
      { kc, clock: systemClock, path: "/api/v1/namespaces/ns/pods", list },
      { apiVersion: "v1", kind: "Pod" },
      { resourceVersion: "5" },
      (e) => events.push(e),
      (e) => errors.push(e),
    );
    for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    h.stop();
    expect(errors).to.deep.equal([]);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).to.deep.equal(["DELETED b", "ADDED c"]);
  });

  it("an API call that gets no answer fails with a clear message instead of hanging", async () => {
    const silent = net.createServer(() => undefined); // accepts, never speaks (not even TLS)
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    server = http.createServer(); // for afterEach
    server.listen(0, "127.0.0.1");
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: "c", server: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: "u" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const started = Date.now();
    const err = await new RestClient(kc, 200).request({ method: "GET", path: "/version", what: "server version" }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(
      /server version: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: no answer within 200ms/,
    );
    expect(Date.now() - started).to.be.below(5000);
    silent.close();
    silent.unref();
  });
});
