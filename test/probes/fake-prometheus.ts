import http from "node:http";
import type { AddressInfo } from "node:net";

/** One series of an instant vector as a test sets it. */
export interface FakeSeries {
  metric: Record<string, string>;
  value: string;
}

/** One active alert as a test sets it. */
export interface FakeAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
  activeAt?: string;
  value?: string;
}

/**
 * A small HTTP server that answers /api/v1/query and /api/v1/alerts in the JSON shape of
 * Prometheus's HTTP API (the `status`/`data` envelope, `[<unix seconds>, "<value>"]` points,
 * `errorType`/`error` on failures). Tests set what each query gives; a query nobody set is a
 * 400 bad_data, as Prometheus answers an expression it cannot parse.
 */
export class FakePrometheus {
  /** PromQL text -> the answer's `data` (or a raw body with a status). */
  readonly queries = new Map<string, { resultType: string; result: unknown } | { status: number; body: string }>();
  alerts: FakeAlert[] = [];
  /** Every request path with its decoded query, in order. */
  readonly requests: string[] = [];
  private server?: http.Server;
  url = "";

  vector(query: string, series: FakeSeries[]): void {
    const t = 1767225600.123;
    this.queries.set(query, {
      resultType: "vector",
      result: series.map((s) => ({ metric: s.metric, value: [t, s.value] })),
    });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (u.pathname === "/api/v1/query") {
      const q = u.searchParams.get("query") ?? "";
      this.requests.push(`query ${q}`);
      const set = this.queries.get(q);
      if (!set)
        return send(400, { status: "error", errorType: "bad_data", error: `invalid parameter "query": parse error` });
      if ("body" in set) return send(set.status, set.body);
      return send(200, { status: "success", data: set });
    }
    if (u.pathname === "/api/v1/alerts") {
      this.requests.push("alerts");
      return send(200, { status: "success", data: { alerts: this.alerts.map((a) => ({ annotations: {}, ...a })) } });
    }
    send(404, "404 page not found\n");
  }
}
