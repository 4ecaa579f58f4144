import { KubedrillError } from "../errors.ts";
import type { RunReport } from "../report/types.ts";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from "../reporters/openmetrics.ts";

export type PushFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; statusText?: string }>;

/**
 * Where to push: the URL as given when its path already names a group
 * (`.../metrics/job/NAME[/LABEL/VALUE...]`), else `<URL>/metrics/job/kubedrill`. Returns
 * the URL without credentials, and the Authorization header for any user:password in it.
 */
export function pushTarget(raw: string): { url: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new KubedrillError(`--pushgateway ${JSON.stringify(raw)} is not a URL (e.g. http://pushgateway:9091)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new KubedrillError(`--pushgateway must be an http or https URL (got ${u.protocol})`);
  const headers: Record<string, string> = {};
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    u.username = "";
    u.password = "";
  }
  if (!/\/metrics\/job\/[^/]+/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/+$/, "")}/metrics/job/kubedrill`;
  return { url: u.toString(), headers };
}

/**
 * PUTs the run's metrics (Prometheus text format) to a Pushgateway group, replacing what
 * the group held, so the gateway shows the latest run. Fails with the status the gateway
 * answered (never its body) or why it could not be reached. Returns the URL pushed to.
 */
export async function pushMetrics(
  raw: string,
  report: RunReport,
  o: { fetch?: PushFetch; timeoutMs?: number } = {},
): Promise<string> {
  const { url, headers } = pushTarget(raw);
  const doFetch: PushFetch = o.fetch ?? ((u, init) => fetch(u, init));
  let res: { status: number; statusText?: string };
  try {
    res = await doFetch(url, {
      method: "PUT",
      headers: { ...headers, "Content-Type": PROMETHEUS_CONTENT_TYPE },
      body: renderPrometheusText(report),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new KubedrillError(`pushing metrics to ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (res.status < 200 || res.status >= 300)
    throw new KubedrillError(
      `pushing metrics to ${url}: the Pushgateway answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`,
    );
  return url;
}
