// Benchmark: warm `cluster up` time to all nodes Ready, and the control plane's peak
// memory while the core scenario suite runs on it.
//   npm run bench:local-cluster      (writes reports/bench/local-cluster.json)
// Peak memory is the sum of each process's VmHWM (peak resident set) from /proc, read
// after the suite: an upper bound of the simultaneous peak.
import fs from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { fileURLToPath } from "node:url";
import { upLocal, downLocal } from "../src/providers/local/launcher.ts";
import { ensureBinaries } from "../src/providers/local/build.ts";
import { createLogger } from "../src/util/log.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const log = createLogger({ write: () => undefined });
const name = `bench-${process.pid}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function hwmKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

await ensureBinaries({ log: createLogger() });
const upTimes: number[] = [];
for (let i = 0; i < rounds; i++) {
  const r = await upLocal({ name, log });
  upTimes.push(r.elapsedMs);
  process.stderr.write(`round ${i + 1}: cluster up to 6 Ready nodes in ${r.elapsedMs}ms\n`);
  if (i < rounds - 1) await downLocal(name);
}
const { state } = await upLocal({ name, log });
const started = Date.now();
const run = await execa(
  process.execPath,
  [
    path.join(REPO, "bin/kubedrill.js"),
    "run",
    "scenarios/",
    "--provider",
    "local",
    "--name",
    name,
    "--report-dir",
    path.join(REPO, "reports/bench/suite"),
  ],
  { cwd: REPO, reject: false },
);
const suiteMs = Date.now() - started;
const perProcess = Object.fromEntries(state.processes.map((p) => [p.name, Math.round(hwmKiB(p.pid) / 1024)]));
await downLocal(name);

const result = {
  date: new Date().toISOString(),
  rounds,
  clusterUpMs: { median: median(upTimes), all: upTimes },
  suite: { exitCode: run.exitCode, wallMs: suiteMs },
  peakMemoryMiB: { total: Object.values(perProcess).reduce((a, b) => a + b, 0), perProcess },
};
await fs.mkdir(path.join(REPO, "reports/bench"), { recursive: true });
await fs.writeFile(path.join(REPO, "reports/bench/local-cluster.json"), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
