import { Params } from "../../sdk/params.ts";
import type { ParamsCheck, ParamsSchema } from "../../sdk/plugin.ts";
import { duration, text } from "../../sdk/schema-parts.ts";
import type { BuildEnv, EvalContext } from "../../sdk/types.ts";
import { activeAlerts, instantQuery, showLabels, type ActiveAlert, type Sample } from "./prometheus-api.ts";

/**
 * prometheus { url?, query, op, value } | { url?, alert, labels? } — shared by the probe and
 * the signal. `url` defaults to $KUBEDRILL_PROMETHEUS_URL (a scenario that wants its own
 * default declares a variable: `url: ${prometheusUrl}`).
 */
export const URL_ENV = "KUBEDRILL_PROMETHEUS_URL";
export const PROMETHEUS_POLL_MS = 2000;
const OPS = [">", ">=", "<", "<=", "==", "!="] as const;
type Op = (typeof OPS)[number];

export type PromCheck = { url: string; timeoutMs: number; intervalMs: number } & (
  { query: string; op: Op; value: number } | { alert: string; labels: Record<string, string> }
);

/** What one evaluation found: the series or alerts that pass, those that do not, or an error. */
export type PromFinding = { error: string } | { passing: string[]; failing: string[]; pending?: string[] };

export const PROMETHEUS_PARAMS: ParamsSchema = {
  properties: {
    url: text(`Base URL of the Prometheus server (http://prometheus:9090); default: $${URL_ENV}.`),
    query: text("A PromQL expression giving a number or an instant vector."),
    op: { enum: [...OPS], description: "How each value of `query` is compared with `value`." },
    value: { type: "number", description: "The threshold `query` is compared with." },
    alert: text("The name of an alerting rule (its alertname label)."),
    labels: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Only alerts with these labels (e.g. service: checkout).",
    },
    interval: duration("Ask Prometheus this often.", { default: "2s" }),
    timeout: duration("Count a request as failed after this long.", { default: "5s" }),
  },
};

export const checkPrometheusParams: ParamsCheck = (params, report) => {
  const has = (k: string) => params[k] !== undefined;
  if (has("query") === has("alert"))
    report([], `needs exactly one of query or alert (${has("query") ? "found both" : "found none"})`);
  else if (has("query")) {
    for (const k of ["op", "value"]) if (!has(k)) report([], `query needs ${k} (query, op and value go together)`);
  } else for (const k of ["op", "value"]) if (has(k)) report([k], "goes with query, not with alert");
  if (has("labels") && has("query")) report(["labels"], "goes with alert (put label matchers in the query)");
  if (typeof params.url === "string" && !/^https?:\/\/[^/]/.test(params.url))
    report(["url"], `must be an absolute http:// or https:// URL (got ${JSON.stringify(params.url)})`);
};

export function parsePrometheusCheck(
  params: Record<string, unknown>,
  env: BuildEnv,
  processEnv: NodeJS.ProcessEnv = process.env,
): PromCheck {
  const p: Params = new Params(params, env.loc);
  const url = p.optStr("url") ?? processEnv[URL_ENV];
  if (!url) p.fail("url", `is required when $${URL_ENV} is not set`);
  const base = {
    url,
    timeoutMs: p.durationMs("timeout", 5000),
    intervalMs: p.durationMs("interval", PROMETHEUS_POLL_MS),
  };
  if (p.has("alert")) {
    const labels = p.has("labels") ? p.obj("labels") : {};
    for (const [k, v] of Object.entries(labels)) if (typeof v !== "string") p.fail(`labels.${k}`, "must be a string");
    return { ...base, alert: p.str("alert"), labels: labels as Record<string, string> };
  }
  const op = p.str("op");
  if (!(OPS as readonly string[]).includes(op)) p.fail("op", `must be one of ${OPS.join(" ")} (got ${op})`);
  const value = p.values.value;
  if (typeof value !== "number" || Number.isNaN(value))
    p.fail("value", `must be a number (got ${JSON.stringify(value)})`);
  return { ...base, query: p.str("query"), op: op as Op, value };
}

export function describePrometheusCheck(c: PromCheck): string {
  const where = `at ${c.url}`;
  if ("alert" in c) return `alert ${c.alert}${showLabels(c.labels)} ${where}`;
  return `${c.query} ${c.op} ${c.value} ${where}`;
}

function compare(v: number, op: Op, limit: number): boolean {
  switch (op) {
    case ">":
      return v > limit;
    case ">=":
      return v >= limit;
    case "<":
      return v < limit;
    case "<=":
      return v <= limit;
    case "==":
      return v === limit;
    case "!=":
      return v !== limit;
  }
}

const shownSample = (s: Sample) => `${s.text}${showLabels(s.labels) ? ` ${showLabels(s.labels)}` : ""}`;
const shownAlert = (a: ActiveAlert) =>
  `${showLabels(a.labels)}${a.activeAt ? ` active since ${a.activeAt}` : ""}${a.value ? `, value ${a.value}` : ""}`;

/**
 * Asks Prometheus once. For a query: the series whose value passes the comparison and those
 * that do not (NaN passes nothing but `!=`). For an alert: the matching alerts that fire
 * (passing), and those still pending.
 */
export async function evaluatePrometheus(
  c: PromCheck,
  ctx: Pick<EvalContext, "fetch" | "signal">,
): Promise<PromFinding> {
  if ("alert" in c) {
    const answer = await activeAlerts(c.url, ctx, c.timeoutMs);
    if (!answer.ok) return { error: `GET ${c.url}/api/v1/alerts: ${answer.error}` };
    const mine = answer.data.filter(
      (a) => a.labels.alertname === c.alert && Object.entries(c.labels).every(([k, v]) => a.labels[k] === v),
    );
    return {
      passing: mine.filter((a) => a.state === "firing").map(shownAlert),
      failing: [],
      pending: mine.filter((a) => a.state === "pending").map(shownAlert),
    };
  }
  const answer = await instantQuery(c.url, c.query, ctx, c.timeoutMs);
  if (!answer.ok) return { error: `query ${c.query} at ${c.url}: ${answer.error}` };
  const passing: string[] = [];
  const failing: string[] = [];
  for (const s of answer.data) (compare(s.value, c.op, c.value) ? passing : failing).push(shownSample(s));
  return { passing, failing };
}

/** At most `n` items, then how many more. */
export function listSome(items: readonly string[], n = 3): string {
  return items.length <= n ? items.join("; ") : `${items.slice(0, n).join("; ")}; and ${items.length - n} more`;
}
