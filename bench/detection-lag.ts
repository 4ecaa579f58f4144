// Benchmark: detection lag, the time from the API server's acknowledgement of a change (the
// create/patch response is back) to the engine's sighting of it (DetectionMonitor's
// sighting hook), for the changes detectors watch for: a Node Event, a node condition, a
// node taint, a Pod phase and an object that raises a diagnose finding. The detectors come
// from bench/detection-lag/scenario.yaml through the same pipeline as `kubedrill run`, on
// a ClusterView with every analyser, the recover probes' monitor running beside them, as
// in a run's detect phase. The shop app (scenarios/manifests/shop.yaml) runs in the
// namespace. Measured idle, then while a separate process keeps changing LOAD unrelated
// objects in another namespace.
//   npx tsx bench/detection-lag.ts [--kubeconfig FILE] [--signals 500] [--load 3000]
//     (writes reports/bench/detection-lag.json; without --kubeconfig it starts a kwok local cluster)
// Env: BENCH_LAG_SIGNALS, BENCH_LAG_LOAD, BENCH_LAG_RATE (writes/s, 20), BENCH_LAG_LOAD_RATE
// (load patches/s, 100), BENCH_LAG_LOAD_KIND (Event: watched by the engine; or ConfigMap).
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { localProvider } from "../src/providers/local/index.ts";
import { createLogger } from "../src/util/log.ts";
import { openSession, type Session } from "./detection-lag/session.ts";
import { startLoad } from "./detection-lag/load.ts";
import { summarise, table, type Sample } from "./detection-lag/stats.ts";
import { DetectionMonitor } from "../src/engine/detection.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const SIGHTING_TIMEOUT_MS = 15_000;
export const GOALS = { p95Ms: 50, p99Ms: 100 };

export interface LagOptions {
  kubeconfig: string;
  signals: number;
  loadObjects: number;
  /** The benchmark's own writes (changes, their reverts, fresh Pods) per second. */
  rate: number;
  loadRate: number;
  loadKind: "Event" | "ConfigMap";
  say: (line: string) => void;
}

/** Starts writes at a steady rate: tick() resolves at the next slot. */
function pacer(perSecond: number): { tick(): Promise<void> } {
  const start = performance.now();
  let n = 0;
  return {
    tick: async () => {
      const wait = start + (n++ * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    },
  };
}

/**
 * One round per set of changes: a fresh DetectionMonitor (sightings count once), its
 * baseline (nothing may be present yet), then each change written and timed, then reverted.
 */
async function measure(s: Session, total: number, rate: number): Promise<Sample[]> {
  const pace = pacer(rate);
  const samples: Sample[] = [];
  while (samples.length < total) {
    const round = s.rounds++;
    const picks = s.changes.slice(0, Math.min(s.changes.length, total - samples.length));
    for (const c of picks) await c.prepare?.(round);
    const seen = new Map<number, { at: number; engineMs: number }>();
    let wake = () => undefined as void;
    const monitor = new DetectionMonitor(s.detectors, s.ctx, "all", (sighting) => {
      seen.set(sighting.index, { at: performance.now(), engineMs: Date.now() - sighting.at });
      wake();
    }).start();
    try {
      const present = await monitor.baseline();
      if (present.length) throw new Error(`round ${round}: present before the change: ${present.join("; ")}`);
      monitor.countFrom(Date.now());
      const acked: number[] = [];
      for (const c of picks) {
        await pace.tick();
        await c.write(round);
        acked.push(performance.now());
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SIGHTING_TIMEOUT_MS);
        wake = () => void (picks.every((_, i) => seen.has(i)) && (clearTimeout(timer), resolve()));
        wake();
      });
      picks.forEach((c, i) => {
        const hit = seen.get(i);
        samples.push({ change: c.name, ...(hit ? { lagMs: hit.at - acked[i]!, engineMs: hit.engineMs } : {}) });
      });
    } finally {
      monitor.stop();
    }
    for (const c of picks) {
      await pace.tick();
      await c.revert(round);
    }
  }
  return samples;
}

export async function measureDetectionLag(o: LagOptions) {
  const session = await openSession(o.kubeconfig, o.say);
  try {
    o.say(`idle: ${o.signals} signals at ${o.rate} writes/s (node ${session.node}, namespace ${session.namespace})`);
    const idle = summarise(await measure(session, o.signals, o.rate));
    o.say(`loaded: starting ${o.loadObjects} ${o.loadKind} objects changing at ${o.loadRate}/s`);
    const load = await startLoad({ ...o, kube: session.kube, runId: session.runId });
    let loaded: ReturnType<typeof summarise>;
    let achieved: Awaited<ReturnType<typeof load.stop>>;
    try {
      o.say(`loaded: ${o.loadObjects} objects created in ${load.readyMs}ms; ${o.signals} signals`);
      loaded = summarise(await measure(session, o.signals, o.rate));
    } finally {
      achieved = await load.stop();
    }
    return {
      date: new Date().toISOString(),
      node: session.node,
      ratePerSecond: o.rate,
      goals: GOALS,
      idle,
      loaded: {
        ...loaded,
        load: { objects: o.loadObjects, kind: o.loadKind, requestedPerSecond: o.loadRate, ...achieved },
      },
    };
  } finally {
    await session.close();
  }
}

export type LagResult = Awaited<ReturnType<typeof measureDetectionLag>>;

export function lagTable(r: LagResult): string {
  const met = (f: LagResult["idle"]["lag"]) =>
    f.missed === 0 && f.p95 < GOALS.p95Ms && f.p99 < GOALS.p99Ms ? "meets" : "MISSES";
  return [
    table([
      ["idle", r.idle.lag],
      ...Object.entries(r.idle.byChange).map(([k, f]) => [`  ${k}`, f] as [string, typeof f]),
      ["  engine's part", r.idle.engine],
      [`loaded (${r.loaded.load.objects} ${r.loaded.load.kind})`, r.loaded.lag],
      ...Object.entries(r.loaded.byChange).map(([k, f]) => [`  ${k}`, f] as [string, typeof f]),
      ["  engine's part", r.loaded.engine],
    ]),
    `ms; goal p95 < ${GOALS.p95Ms}, p99 < ${GOALS.p99Ms}: idle ${met(r.idle.lag)}, loaded ${met(r.loaded.lag)}` +
      ` (load achieved ${Math.round(r.loaded.load.perSecond ?? 0)} changes/s)`,
  ].join("\n");
}

/** The part `npm run bench` runs: on the given cluster, or on a kwok local cluster of its own. */
export async function detectionLagPart(o: Partial<LagOptions> = {}): Promise<LagResult> {
  const say = o.say ?? ((l: string) => process.stderr.write(`${l}\n`));
  const env = process.env;
  const base = {
    signals: Number(env.BENCH_LAG_SIGNALS ?? 500),
    loadObjects: Number(env.BENCH_LAG_LOAD ?? 3000),
    rate: Number(env.BENCH_LAG_RATE ?? 20),
    loadRate: Number(env.BENCH_LAG_LOAD_RATE ?? 100),
    loadKind: (env.BENCH_LAG_LOAD_KIND ?? "Event") as LagOptions["loadKind"],
    say,
    ...o,
  };
  const given = o.kubeconfig ?? env.BENCH_KUBECONFIG;
  const cluster = given
    ? undefined
    : await localProvider({ nodes: "kwok" }).start({ name: `bench-lag-${process.pid}`, log: createLogger() });
  try {
    const result = await measureDetectionLag({ ...base, kubeconfig: given ?? cluster!.kubeconfigPath });
    await fs.mkdir(path.join(REPO, "reports/bench"), { recursive: true });
    await fs.writeFile(path.join(REPO, "reports/bench/detection-lag.json"), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await cluster?.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: { kubeconfig: { type: "string" }, signals: { type: "string" }, load: { type: "string" } },
  });
  const result = await detectionLagPart({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.signals ? { signals: Number(values.signals) } : {}),
    ...(values.load ? { loadObjects: Number(values.load) } : {}),
  });
  console.log(lagTable(result));
}

/** The part `npm run bench` runs (bench/index.ts). */
export async function part(): Promise<string> {
  return lagTable(await detectionLagPart());
}
