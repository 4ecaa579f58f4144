import { Params } from "../sdk/params.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./command.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { regex, text } from "../sdk/schema-parts.ts";

/**
 * http { url, expectStatus? (200), bodyMatches?, timeout? (5s), interval? (1s) } — holds
 * while a GET answers with that status (and a body matching the regex). Needs a
 * reachable data plane; polled every `interval`.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const url = p.str("url");
  const expectStatus = p.optNum("expectStatus", 100) ?? 200;
  const body = p.regex("bodyMatches");
  const timeoutMs = p.durationMs("timeout", 5000);
  const interval = p.durationMs("interval", DEFAULT_POLL_INTERVAL_MS);
  return {
    kinds: [],
    pollIntervalMs: interval,
    describe: () => `GET ${url} answers ${expectStatus}${body ? ` with a body matching /${body.source}/` : ""}`,
    async evaluate(ctx) {
      const signal = ctx.signal
        ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs);
      try {
        const res = await ctx.fetch(url, { signal });
        const text = body ? await res.text() : "";
        if (res.status !== expectStatus)
          return {
            ok: false,
            message: `GET ${url}: status ${res.status} (expected ${expectStatus})`,
            simulated: false,
          };
        if (body && !body.test(text))
          return {
            ok: false,
            message: `GET ${url}: body does not match /${body.source}/: ${text.slice(0, 200)}`,
            simulated: false,
          };
        return { ok: true, message: `GET ${url}: ${res.status}`, simulated: false };
      } catch (err) {
        const e = err as Error;
        const why = e.name === "TimeoutError" ? `no answer within ${timeoutMs}ms` : e.message;
        return { ok: false, message: `GET ${url}: ${why}`, simulated: false };
      }
    },
  };
}

function isHttpUrl(url: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

export const httpProbe = defineProbe({
  name: "http",
  description: "An HTTP GET answers with the expected status (needs a data plane).",
  params: {
    required: ["url"],
    properties: {
      url: text("URL to GET."),
      expectStatus: {
        type: "integer",
        minimum: 100,
        maximum: 599,
        default: 200,
        description: "Expected HTTP status.",
      },
      bodyMatches: regex("The response body matches this."),
    },
  },
  check(params, report) {
    if (typeof params.url === "string" && !isHttpUrl(params.url))
      report(["url"], `must be an absolute http:// or https:// URL (got ${JSON.stringify(params.url)})`);
  },
  create,
});
