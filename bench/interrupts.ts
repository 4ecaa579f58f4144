// Benchmark: the interrupt matrix. Every shipped scenario, interrupted in every phase
// (setup, steady-state, inject, detect, remediate, recover, cleanup) by SIGINT, by SIGTERM,
// by SIGTERM to an `npx` launcher, and by SIGKILL followed by `kubedrill cleanup`; per trial
// the exit status, the report's status, junit.xml, what was left and the time to clean.
//   npm run bench:interrupts        (writes reports/bench/interrupts.json; long: ~1 min a trial)
// Narrow it with comma-separated lists: BENCH_SCENARIOS=cidr-overlap,disk-full
// BENCH_PHASES=setup,detect BENCH_WAYS=SIGINT,SIGKILL+cleanup.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createKube } from "../src/k8s/client.ts";
import { localProvider } from "../src/providers/local/index.ts";
import { createLogger } from "../src/util/log.ts";
import { kubedrill } from "../harness/support/cli.ts";
import { plan, summarise, type TrialResult } from "./interrupts/plan.ts";
import { runTrial } from "./interrupts/trial.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const out = path.join(REPO, "reports/bench/interrupts.json");
const shipped = (await fs.readdir(path.join(REPO, "scenarios")))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();
const trials = plan(shipped, {
  ...(process.env.BENCH_SCENARIOS ? { scenarios: process.env.BENCH_SCENARIOS } : {}),
  ...(process.env.BENCH_PHASES ? { phases: process.env.BENCH_PHASES } : {}),
  ...(process.env.BENCH_WAYS ? { ways: process.env.BENCH_WAYS } : {}),
});
const name = `bench-int-${process.pid}`;
await fs.mkdir(path.dirname(out), { recursive: true });
const reportDir = await fs.mkdtemp(path.join(path.dirname(out), ".interrupts-"));
const results: TrialResult[] = [];
const started = Date.now();
const cluster = await localProvider().start({ name, log: createLogger({ write: () => undefined }) });
const kube = createKube(cluster.kubeconfigPath);
try {
  for (const [i, t] of trials.entries()) {
    const r = await runTrial(t, { cluster: name, kube, reportDir });
    results.push(r);
    process.stderr.write(
      `${i + 1}/${trials.length} ${t.scenario} ${t.phase} ${t.way}: at ${r.phaseAtSignal}, exit ${r.exitCode}, report ${r.reportStatus}, ${r.agrees ? "agrees" : "DISAGREES"}, ${r.leftovers.length ? `LEFT ${r.leftovers.join(", ")}` : `clean in ${r.cleanMs}ms`}${r.note ? ` (${r.note})` : ""}\n`,
    );
    // A trial that left something must not spoil the next one.
    if (r.leftovers.length) await kubedrill(["cleanup", "--name", name]);
    await fs.writeFile(out, JSON.stringify({ cluster: "local", results, summary: summarise(results) }, null, 2) + "\n");
  }
} finally {
  await cluster.stop();
  await fs.rm(reportDir, { recursive: true, force: true });
}
const summary = summarise(results);
process.stdout.write(
  `${summary.trials} trials in ${Math.round((Date.now() - started) / 1000)}s: ${summary.agreeing} with exit status, report and junit agreeing; ${summary.withLeftovers} left something behind\n`,
);
for (const [way, w] of Object.entries(summary.byWay))
  process.stdout.write(
    `  ${way.padEnd(16)} ${w.trials} trial(s): ${Object.entries(w.statuses)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ")}; median time to clean ${w.medianCleanMs ?? "-"}ms\n`,
  );
process.stdout.write(`written: ${out}\n`);
