import { randomBytes } from "node:crypto";
import { AckWriter } from "../dataplane/writer.ts";
import { Params } from "../sdk/params.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { duration, text } from "../sdk/schema-parts.ts";
import type { BuildEnv, DataPlane, EvalContext, Probe, ProbeResult, WriteCount } from "../sdk/types.ts";
import { formatMs } from "../util/duration.ts";
import { dpContext } from "./shared/data-plane.ts";

const DEFAULT_TIMEOUT_MS = 2000;
/** Reading the log back may take longer than one write: it returns every record. */
const READ_TIMEOUT_MS = 10_000;
const SHOWN = 5;

/** A connection error's code, or its message without the URL (which names each write): "no answer within 2000ms". */
const codeOf = (err: unknown) =>
  (err as NodeJS.ErrnoException).code ?? ((err as Error).message || "error").replace(/ from \S+/, "").slice(0, 80);
const join = (path: string, query: string) => `${path}${path.includes("?") ? "&" : "?"}${query}`;
const reasons = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${why} ×${n}`);

/** Why this cluster's data plane cannot carry the writes, or undefined when it can. */
function unusable(dp: DataPlane | undefined): string | undefined {
  if (!dp) return "this cluster provides none";
  if (dp.modelled) return "this cluster's is a model worked out from cluster state (kwok nodes), which stores nothing";
  return dp.request ? undefined : "this cluster's cannot send requests";
}

/**
 * acknowledgedWrites { host?, appendPath? (/append), readPath? (/log), rate (writes/s),
 * timeout? (2s), maxLost? (0) } — the RPO of a store, counted in writes. From the start of
 * the steady state (before the fault) the harness writes to the store through the Ingress
 * controller at a steady rate, `POST appendPath?seq=N&writer=W`, and remembers every N the
 * store acknowledged (a 2xx answer). Each evaluation reads the store back
 * (`GET readPath?writer=W`: the sequence numbers it holds, one a line) and counts the
 * acknowledged writes missing from it. Two questions, by the writer's state:
 * - while writing (steady state, recover.probes: availability, for RTO) it holds when the
 *   store can be read back and the latest write answered was acknowledged; a loss is
 *   counted in its message but does not keep a working store from having recovered;
 * - once stopped (recover.rpo: the runner stops it before the verify phase, so the count is
 *   final) it holds when at most `maxLost` acknowledged writes are missing: the attempt's
 *   RPO figures (acknowledged, lost, target), reported beside RTO.
 * Either way at least one write must have been acknowledged.
 * Each instance writes under its own writer name, so that two of them share one store.
 * A modelled data plane (kwok nodes) stores nothing: the probe does not hold there and
 * says a real data plane is needed; it invents no figures.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const host = p.optStr("host");
  const appendPath = p.optStr("appendPath") ?? "/append";
  const readPath = p.optStr("readPath") ?? "/log";
  for (const [k, v] of [
    ["appendPath", appendPath],
    ["readPath", readPath],
  ] as const)
    if (!v.startsWith("/")) p.fail(k, `must start with / (got ${JSON.stringify(v)})`);
  const rate = p.num("rate", 0.1);
  if (rate > 100) p.fail("rate", `is at most 100 writes a second (got ${rate})`);
  const timeoutMs = p.durationMs("timeout", DEFAULT_TIMEOUT_MS);
  if (timeoutMs <= 0) p.fail("timeout", `must be longer than 0 (got ${JSON.stringify(p.values.timeout)})`);
  const maxLost = p.optNum("maxLost", 0) ?? 0;
  if (!Number.isInteger(maxLost)) p.fail("maxLost", `must be a whole number of writes (got ${maxLost})`);
  const writerName = `kd-${randomBytes(4).toString("hex")}`;
  const target = `${host ?? "*"}${appendPath}`;
  let writer: AckWriter | undefined;

  const evaluate = async (ctx: EvalContext): Promise<ProbeResult> => {
    const dp = ctx.dataPlane;
    const why = unusable(dp);
    if (why || !dp?.request)
      return {
        ok: false,
        message: `acknowledgedWrites ${target}: needs a real data plane (HTTP requests through the Ingress controller); ${why}`,
        simulated: false,
      };
    if (!writer)
      return {
        ok: false,
        message: `${target}: nothing written yet (writing starts with the steady state)`,
        simulated: false,
      };
    // taken before the read: every write acknowledged by then must be in what it returns
    const acked = [...writer.acknowledged];
    const stopped = writer.stopped;
    const unread = (why: string): ProbeResult => ({
      ok: false,
      message: `${target}: reading back ${readPath}: ${why} (${acked.length} write(s) acknowledged, lost unknown)`,
      simulated: false,
      writes: { acknowledged: acked.length, lost: null, target: maxLost, notAcknowledged: writer!.notAcknowledged },
    });
    let stored: Set<number>;
    try {
      const res = await dp.request(
        {
          ...(host ? { host } : {}),
          path: join(readPath, `writer=${writerName}`),
          method: "GET",
          timeoutMs: READ_TIMEOUT_MS,
        },
        dpContext(ctx),
      );
      if (res.status !== 200) return unread(`HTTP ${res.status}`);
      stored = new Set(
        res.body
          .split("\n")
          .filter((l) => /^\d+$/.test(l.trim()))
          .map(Number),
      );
    } catch (err) {
      return unread(codeOf(err));
    }
    const lost = acked.filter((s) => !stored.has(s)).sort((a, b) => a - b);
    const writes: WriteCount = {
      acknowledged: acked.length,
      lost: lost.length,
      target: maxLost,
      notAcknowledged: writer.notAcknowledged,
    };
    const last = writer.last;
    const flowing = last?.ok === true;
    const parts = [
      `${target}: ${acked.length} write(s) acknowledged, ${lost.length} lost (target ${maxLost})` +
        (lost.length ? `: seq ${lost.slice(0, SHOWN).join(", ")}${lost.length > SHOWN ? ", ..." : ""}` : ""),
      writes.notAcknowledged
        ? `${writes.notAcknowledged} not acknowledged (${reasons(writer.refused).join(", ")})`
        : "every write acknowledged",
      stopped
        ? "writing stopped"
        : last === undefined
          ? "no write answered yet"
          : last.ok
            ? `latest write (seq ${last.seq}) acknowledged`
            : `latest write (seq ${last.seq}) not acknowledged: ${last.why}`,
    ];
    if (acked.length === 0) parts.push("no acknowledged write to read back: nothing measured");
    const ok = acked.length > 0 && (stopped ? lost.length <= maxLost : flowing);
    return { ok, message: parts.join("; "), simulated: false, writes };
  };

  return {
    kinds: [],
    pollIntervalMs: p.durationMs("interval", 1000),
    describe: () =>
      `writes acknowledged at ${rate}/s by ${target} are read back from ${readPath}, at most ${maxLost} lost`,
    evaluate,
    start(ctx) {
      const dp = ctx.dataPlane;
      if (writer || unusable(dp) || !dp?.request) return { stop: async () => undefined };
      const request = dp.request.bind(dp);
      const w = new AckWriter(async (seq, signal) => {
        try {
          const res = await request(
            {
              ...(host ? { host } : {}),
              path: join(appendPath, `seq=${seq}&writer=${writerName}`),
              method: "POST",
              timeoutMs,
            },
            { ...dpContext(ctx), signal: ctx.signal ? AbortSignal.any([ctx.signal, signal]) : signal },
          );
          return res.status >= 200 && res.status < 300 ? "ok" : `HTTP ${res.status}`;
        } catch (err) {
          return codeOf(err);
        }
      });
      writer = w.start(rate, ctx.clock);
      ctx.log.info(
        `acknowledgedWrites: writing ${rate}/s to ${target} as ${writerName} (answers within ${formatMs(timeoutMs)})`,
      );
      return { stop: () => w.stop() };
    },
  };
}

export const acknowledgedWritesProbe = defineProbe({
  name: "acknowledgedWrites",
  description:
    "RPO in writes: the harness writes to a store at a steady rate from the steady state on, and every write it acknowledged must read back (at most maxLost missing; real data plane only).",
  params: {
    required: ["rate"],
    properties: {
      host: text("Host header of the requests (default: the controller's address, which its default server answers)."),
      appendPath: {
        ...text("Path of the writes: POST <appendPath>?seq=N&writer=W, a 2xx answer acknowledges N."),
        pattern: "^/",
        default: "/append",
      },
      readPath: {
        ...text("Path of the read-back: GET <readPath>?writer=W answers W's stored sequence numbers, one a line."),
        pattern: "^/",
        default: "/log",
      },
      rate: { type: "number", minimum: 0.1, maximum: 100, description: "Writes sent per second, on schedule." },
      timeout: duration("A write without an answer by then is not acknowledged.", { default: "2s" }),
      maxLost: {
        type: "integer",
        minimum: 0,
        default: 0,
        description: "The RPO target: how many acknowledged writes may be missing when read back.",
      },
      interval: duration("How often the read-back is evaluated while a monitor watches it.", { default: "1s" }),
    },
  },
  create,
  fidelity: {
    kwok: {
      mode: "unavailable",
      note: "a modelled data plane stores nothing: the probe does not hold, says why, and invents no figures",
    },
    k3s: { mode: "unavailable", note: "the k3s provider offers no data plane" },
    kubeconfig: { mode: "unavailable", note: "an existing cluster offers no Ingress address to kubedrill" },
  },
});
