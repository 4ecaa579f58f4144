// Benchmark: a zone outage at scale (issue 13 item 3). A kwok local cluster in scale mode
// (`cluster up --workers N`: N nodes over three zones, one kwok process per zone), a
// background workload of PODS pods spread over the zones, then `kubedrill run
// scenarios/zone-unavailable.yaml` on it: zone-b's kwok process is paused. Reports the
// cluster's up time, the scenario's TTD and RTO, the harness's peak RSS (the CLI process's
// maxRSS, bench/zone-outage/measured-cli.js), the control plane's (VmHWM of each of its
// processes, /proc), and the detection lag at that size (bench/detection-lag.ts, shorter).
//   npx tsx bench/zone-outage.ts          (writes reports/bench/zone-outage.json)
// Env: BENCH_ZONE_NODES (300), BENCH_ZONE_PODS (3000), BENCH_ZONE_LAG_SIGNALS (200; 0: no
// lag measurement), BENCH_ZONE_LAG_LOAD (300 changing objects), BENCH_ZONE_KEEP=1 (leave the
// cluster running: `kubedrill cluster down --name bench-zone-PID`).
// A small run: BENCH_ZONE_NODES=30 BENCH_ZONE_PODS=300 BENCH_ZONE_LAG_SIGNALS=50 npx tsx bench/zone-outage.ts
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries } from "../src/providers/local/build.ts";
import { downLocal, upLocal } from "../src/providers/local/launcher.ts";
import { createKube } from "../src/k8s/client.ts";
import type { RunReport } from "../src/report/types.ts";
import { createLogger } from "../src/util/log.ts";
import { measureDetectionLag } from "./detection-lag.ts";
import { startWorkload } from "./zone-outage/workload.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const OUT = path.join(REPO, "reports/bench");
export const GOALS = { harnessPeakMiB: 250, lagP95Ms: 250 };
const say = (l: string) => process.stderr.write(`${l}\n`);

function vmHwmMiB(pid: number): number {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** `kubedrill run` in a child process; its exit status and process.resourceUsage(). */
async function runScenario(name: string, workers: number, reportDir: string) {
  const usageFile = path.join(OUT, `zone-outage-usage-${process.pid}.json`);
  const args = ["run", "scenarios/zone-unavailable.yaml", "--provider", "local", "--nodes", "kwok"];
  args.push("--workers", String(workers), "--name", name, "--report-dir", reportDir);
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(REPO, "bench/zone-outage/measured-cli.js"), ...args], {
    cwd: REPO,
    env: { ...process.env, BENCH_RSS_FILE: usageFile },
    stdio: ["ignore", 2, 2],
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const usage = JSON.parse(await fs.readFile(usageFile, "utf8")) as NodeJS.ResourceUsage;
  await fs.rm(usageFile, { force: true });
  const report = JSON.parse(await fs.readFile(path.join(reportDir, "report.json"), "utf8")) as RunReport;
  return { exitCode, wallMs: Date.now() - started, usage, report };
}

export interface ZoneOutageOptions {
  workers: number;
  pods: number;
  /** Detection-lag signals (0: not measured) and the objects changing meanwhile. */
  lagSignals: number;
  lagLoad: number;
  /** Leave the cluster running. */
  keep: boolean;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ZoneOutageOptions {
  return {
    workers: Number(env.BENCH_ZONE_NODES ?? 300),
    pods: Number(env.BENCH_ZONE_PODS ?? 3000),
    lagSignals: Number(env.BENCH_ZONE_LAG_SIGNALS ?? 200),
    lagLoad: Number(env.BENCH_ZONE_LAG_LOAD ?? 300),
    keep: env.BENCH_ZONE_KEEP === "1",
  };
}

export async function zoneOutage(o: ZoneOutageOptions = optionsFromEnv()) {
  const { workers, pods, lagSignals } = o;
  if (!Number.isInteger(pods) || pods < 1) throw new Error(`BENCH_ZONE_PODS must be a whole number >= 1 (got ${pods})`);
  const name = `bench-zone-${process.pid}`;
  await fs.mkdir(OUT, { recursive: true });
  const log = createLogger({ write: () => undefined });
  await ensureBinaries({ log: createLogger() }); // a build is not start-up time
  say(`cluster up: ${workers} kwok nodes in 3 zones`);
  const up = await upLocal({ name, log, nodes: "kwok", workers });
  try {
    const kube = createKube(up.state.kubeconfig);
    say(`workload: ${pods} pods`);
    const workloadReadyMs = await startWorkload(kube, "zone-load", pods, 900_000);
    say(`workload Ready in ${workloadReadyMs}ms; running zone-unavailable`);
    const run = await runScenario(name, workers, path.join(OUT, "zone-outage-run"));
    const attempt = run.report.scenarios.find((s) => s.name === "zone-unavailable");
    let lag: Awaited<ReturnType<typeof measureDetectionLag>> | undefined;
    if (lagSignals > 0) {
      say(`detection lag: ${lagSignals} signals`);
      const base = { kubeconfig: up.state.kubeconfig, signals: lagSignals, loadObjects: o.lagLoad, rate: 20, say };
      lag = await measureDetectionLag({ ...base, loadRate: 100, loadKind: "Event" });
    }
    const perProcess = Object.fromEntries(up.state.processes.map((p) => [p.name, vmHwmMiB(p.pid)]));
    return {
      date: new Date().toISOString(),
      nodes: workers,
      pods,
      goals: GOALS,
      clusterName: name,
      clusterUpMs: up.elapsedMs,
      workloadReadyMs,
      scenario: {
        status: attempt?.status ?? "missing",
        ttdMs: attempt?.ttdMs ?? null,
        rtoMs: attempt?.rtoMs ?? null,
        reasons: attempt?.reasons ?? [],
        exitCode: run.exitCode,
        wallMs: run.wallMs,
      },
      harnessPeakMiB: Math.round(run.usage.maxRSS / 1024),
      controlPlanePeakMiB: { total: Object.values(perProcess).reduce((a, b) => a + b, 0), perProcess },
      ...(lag ? { detectionLag: { idle: lag.idle.lag, loaded: lag.loaded.lag, load: lag.loaded.load } } : {}),
    };
  } finally {
    if (o.keep) say(`left running: npx kubedrill cluster down --name ${name}`);
    else await downLocal(name);
  }
}

export type ZoneOutageResult = Awaited<ReturnType<typeof zoneOutage>>;

export function zoneTable(r: ZoneOutageResult): string {
  const ms = (n: number | null) => (n === null ? "-" : `${(n / 1000).toFixed(1)}s`);
  const lagP95 = r.detectionLag?.idle.p95;
  return [
    `${r.nodes} kwok nodes in 3 zones (a kwok process per zone), ${r.pods} pods`,
    `cluster up          ${ms(r.clusterUpMs)} (workload Ready in ${ms(r.workloadReadyMs)})`,
    `zone-unavailable    ${r.scenario.status}: TTD ${ms(r.scenario.ttdMs)}, RTO ${ms(r.scenario.rtoMs)}`,
    `harness peak RSS    ${r.harnessPeakMiB} MiB (goal < ${GOALS.harnessPeakMiB})`,
    `control plane peak  ${r.controlPlanePeakMiB.total} MiB (sum of VmHWM: ${Object.entries(
      r.controlPlanePeakMiB.perProcess,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
    r.detectionLag
      ? `detection lag p95   idle ${lagP95} ms, loaded ${r.detectionLag.loaded.p95} ms (goal < ${GOALS.lagP95Ms}; ${r.detectionLag.idle.signals} signals, ${r.detectionLag.idle.missed} missed)`
      : "detection lag       not measured (BENCH_ZONE_LAG_SIGNALS=0)",
  ].join("\n");
}

/** The part `npm run bench` runs (bench/index.ts). */
export async function part(): Promise<string> {
  const result = await zoneOutage();
  await fs.mkdir(OUT, { recursive: true });
  await fs.writeFile(path.join(OUT, "zone-outage.json"), JSON.stringify(result, null, 2));
  return zoneTable(result);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) console.log(await part());
