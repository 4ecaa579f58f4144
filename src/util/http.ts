import http from "node:http";

/**
 * A plain HTTP request (GET unless `method` says otherwise, with no body) that sends the Host header it is given. fetch() (undici) treats Host as
 * a forbidden header and silently replaces it with the URL's, which makes a request to an
 * Ingress controller by address reach its default server instead of the named host.
 */
export function httpGet(
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal; timeoutMs?: number; method?: string } = {},
): Promise<{ status: number; text(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    // a new connection per request, as a probe should: a kept-alive socket that the server
    // closes (nginx's old workers do on reload) fails the next request with "socket hang up"
    const options = { method: init.method ?? "GET", headers: init.headers ?? {}, timeout: init.timeoutMs ?? 5000 };
    const req = http.request(url, { ...options, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, text: async () => body });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${init.timeoutMs ?? 5000}ms`)));
    req.on("error", reject);
    const abort = () => req.destroy(init.signal?.reason instanceof Error ? init.signal.reason : new Error("aborted"));
    if (init.signal?.aborted) abort();
    else init.signal?.addEventListener("abort", abort, { once: true });
    req.on("close", () => init.signal?.removeEventListener("abort", abort));
    req.end();
  });
}
