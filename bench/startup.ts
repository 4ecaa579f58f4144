// Benchmark part: CLI start-up, the median wall time of 5 runs of each command (and of
// `node -e 0`, the floor), after `npm run build` so that bin/kubedrill.js runs the compiled
// CLI as an installed package does (BENCH_NO_BUILD=1 skips the build).
//   npx tsx bench/startup.ts     (writes reports/bench/startup.json)
// Env: BENCH_STARTUP_RUNS (5).
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const CLI = path.join(REPO, "bin/kubedrill.js");

/** Issue 13's goals (ms, median). */
export const STARTUP_GOALS: Record<string, number> = {
  "--version": 300,
  "--help": 300,
  "validate scenarios/": 600,
  schema: 300,
};

const COMMANDS: [string, string[]][] = [
  ["node -e 0", ["-e", "0"]],
  ["--version", [CLI, "--version"]],
  ["--help", [CLI, "--help"]],
  ["validate scenarios/", [CLI, "validate", "scenarios/"]],
  ["schema", [CLI, "schema"]],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `build`: run `npm run build` first, so that the compiled CLI is what is measured. */
export async function measureStartup(o: { runs: number; build: boolean }) {
  const { runs } = o;
  if (o.build) await execa("npm", ["run", "build"], { cwd: REPO });
  const commands: Record<string, { medianMs: number; allMs: number[]; goalMs?: number; exitCode: number }> = {};
  for (const [label, args] of COMMANDS) {
    const all: number[] = [];
    let exitCode = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const r = await execa(process.execPath, args, { cwd: REPO, reject: false });
      all.push(Math.round(performance.now() - start));
      exitCode = r.exitCode ?? -1;
    }
    const goalMs = STARTUP_GOALS[label];
    commands[label] = { medianMs: median(all), allMs: all, ...(goalMs ? { goalMs } : {}), exitCode };
  }
  return { date: new Date().toISOString(), runs, built: o.build, commands };
}

export function startupTable(r: Awaited<ReturnType<typeof measureStartup>>): string {
  const rows = Object.entries(r.commands).map(([label, c]) => {
    const goal = c.goalMs ? `  goal < ${c.goalMs}: ${c.medianMs < c.goalMs ? "meets" : "MISSES"}` : "";
    const exit = c.exitCode === 0 ? "" : `  (exit ${c.exitCode})`;
    return `${`kubedrill ${label}`.replace("kubedrill node", "node").padEnd(30)}${String(c.medianMs).padStart(6)} ms${goal}${exit}`;
  });
  return [`median of ${r.runs} runs:`, ...rows].join("\n");
}

/** The part `npm run bench` runs (bench/index.ts). */
export async function part(): Promise<string> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
  const result = await measureStartup({ runs, build: process.env.BENCH_NO_BUILD !== "1" });
  await fs.mkdir(path.join(REPO, "reports/bench"), { recursive: true });
  await fs.writeFile(path.join(REPO, "reports/bench/startup.json"), JSON.stringify(result, null, 2));
  return startupTable(result);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) console.log(await part());
