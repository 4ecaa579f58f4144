import type { EvalContext } from "../../sdk/types.ts";

/**
 * The two read-only calls of Prometheus's HTTP API kubedrill makes: an instant query
 * (GET /api/v1/query) and the active alerts (GET /api/v1/alerts). Every answer is the JSON
 * envelope `{ status: "success" | "error", data, errorType?, error? }`. A failure comes
 * back as `{ error }` with a short reason (the server's own error text, never the body).
 */

/** One series of an instant query: its labels and its value as Prometheus wrote it. */
export interface Sample {
  labels: Record<string, string>;
  /** As written: "0.25", "1e+00", "NaN", "+Inf". */
  text: string;
  value: number;
}

/** One active alert (pending or firing). */
export interface ActiveAlert {
  labels: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

export type ApiAnswer<T> = { ok: true; data: T } | { ok: false; error: string };

/** Prometheus's float text ("+Inf", "-Inf", "NaN" and Go's exponent forms) as a number. */
export function parsePromFloat(text: string): number {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

/** `{job="api", instance="a:9090"}` (without __name__), or "" for a series with no labels. */
export function showLabels(labels: Record<string, string>): string {
  const shown = Object.entries(labels).filter(([k]) => k !== "__name__");
  return shown.length ? `{${shown.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}` : "";
}

/** The base URL without a trailing slash, joined with an API path. */
const endpoint = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;

async function call(
  url: string,
  ctx: Pick<EvalContext, "fetch" | "signal">,
  timeoutMs: number,
): Promise<ApiAnswer<unknown>> {
  const signal = ctx.signal
    ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  let status: number;
  let body: string;
  try {
    const res = await ctx.fetch(url, { signal });
    status = res.status;
    body = await res.text();
  } catch (err) {
    const e = err as Error;
    return { ok: false, error: e.name === "TimeoutError" ? `no answer within ${timeoutMs}ms` : e.message };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: `HTTP ${status}, not a Prometheus API answer (the body is not JSON)` };
  }
  const env = (json ?? {}) as { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown };
  if (env.status === "success") return { ok: true, data: env.data };
  if (env.status === "error") {
    const why = typeof env.error === "string" ? env.error.slice(0, 300) : "no reason given";
    return {
      ok: false,
      error: `HTTP ${status}, ${typeof env.errorType === "string" ? env.errorType : "error"}: ${why}`,
    };
  }
  return { ok: false, error: `HTTP ${status}, not a Prometheus API answer (no "status" field)` };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function labelsOf(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** `[ <unix seconds>, "<value>" ]` -> the value's text, or undefined when malformed. */
function pointText(v: unknown): string | undefined {
  return Array.isArray(v) && v.length === 2 && typeof v[1] === "string" ? v[1] : undefined;
}

/** An instant query: one Sample per series (vector), or one without labels (scalar). */
export async function instantQuery(
  base: string,
  query: string,
  ctx: Pick<EvalContext, "fetch" | "signal">,
  timeoutMs: number,
): Promise<ApiAnswer<Sample[]>> {
  const answer = await call(endpoint(base, `/api/v1/query?query=${encodeURIComponent(query)}`), ctx, timeoutMs);
  if (!answer.ok) return answer;
  const data = isRecord(answer.data) ? answer.data : {};
  const sample = (labels: Record<string, string>, text: string): Sample => ({
    labels,
    text,
    value: parsePromFloat(text),
  });
  if (data.resultType === "scalar") {
    const text = pointText(data.result);
    return text === undefined ? malformed("scalar") : { ok: true, data: [sample({}, text)] };
  }
  if (data.resultType === "vector" && Array.isArray(data.result)) {
    const samples: Sample[] = [];
    for (const s of data.result) {
      const text = isRecord(s) ? pointText(s.value) : undefined;
      if (text === undefined || !isRecord(s)) return malformed("vector");
      samples.push(sample(labelsOf(s.metric), text));
    }
    return { ok: true, data: samples };
  }
  return {
    ok: false,
    error: `the query gives a ${String(data.resultType)} result; a number or an instant vector is needed (drop any [range] selector)`,
  };
}

const malformed = (what: string): { ok: false; error: string } => ({
  ok: false,
  error: `malformed ${what} result (expected [<time>, "<value>"] pairs)`,
});

/** The alerts Prometheus holds active (pending or firing). */
export async function activeAlerts(
  base: string,
  ctx: Pick<EvalContext, "fetch" | "signal">,
  timeoutMs: number,
): Promise<ApiAnswer<ActiveAlert[]>> {
  const answer = await call(endpoint(base, "/api/v1/alerts"), ctx, timeoutMs);
  if (!answer.ok) return answer;
  const list = isRecord(answer.data) ? answer.data.alerts : undefined;
  if (!Array.isArray(list)) return { ok: false, error: 'malformed alerts answer (no "alerts" list)' };
  return {
    ok: true,
    data: list.filter(isRecord).map((a) => ({
      labels: labelsOf(a.labels),
      state: typeof a.state === "string" ? a.state : "unknown",
      ...(typeof a.activeAt === "string" ? { activeAt: a.activeAt } : {}),
      ...(typeof a.value === "string" ? { value: a.value } : {}),
    })),
  };
}
