import https from "node:https";
import http from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";
import { ClusterError, KubedrillError } from "../errors.ts";

/** An API call that the server answered with an error status. Never carries the raw body in its message. */
export class ApiError extends KubedrillError {
  override readonly name: string = "ApiError";
  constructor(
    message: string,
    readonly statusCode: number,
    /** The Status reason: NotFound, AlreadyExists, Conflict, Forbidden, Invalid, Gone, ... */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface RestRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Accept header; default application/json. */
  accept?: string;
  /** What the call is about, for error messages: `Deployment "api" in kd-x`. */
  what: string;
}

/** Raw JSON REST calls authenticated by a KubeConfig (client-node does TLS and credentials). */
export class RestClient {
  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs = 30_000,
  ) {}

  get server(): string {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new KubedrillError("the kubeconfig has no current cluster");
    return cluster.server;
  }

  async request<T = unknown>(req: RestRequest): Promise<T> {
    const url = new URL(req.path, this.server);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method: req.method, headers: { Accept: req.accept ?? "application/json" } };
    await this.kc.applyToHTTPSOptions(opts);
    const payload =
      req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (payload !== undefined) {
      opts.headers = {
        ...opts.headers,
        "Content-Type": req.contentType ?? "application/json",
        "Content-Length": Buffer.byteLength(payload),
      };
    }
    const lib = url.protocol === "http:" ? http : https;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const r = lib.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      r.on("error", (err) =>
        reject(
          new ClusterError(`${req.what}: cannot reach the API server at ${url.origin}: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      // a blackholed API server must not hang a run (or its cleanup) forever
      r.setTimeout(this.timeoutMs, () => r.destroy(new Error(`no answer within ${this.timeoutMs}ms`)));
      if (payload !== undefined) r.write(payload);
      r.end();
    });
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    throw toApiError(req, status, text);
  }
}

function toApiError(req: RestRequest, status: number, text: string): ApiError {
  let reason = "Unknown";
  let message = `HTTP ${status}`;
  try {
    const s = JSON.parse(text) as { reason?: string; message?: string };
    reason = s.reason ?? reason;
    message = s.message ?? message;
  } catch {
    // not a Status object: keep the status code only, never the raw body
  }
  return new ApiError(`${req.method} ${req.what}: ${reason} (${status}): ${message}`, status, reason);
}
