// `npm run bench`: every benchmark part in turn, each its own file exporting
// `part(): Promise<string>` that writes its JSON under reports/bench/ and returns the text
// to print; a new part is a file and a line in PARTS. reports/bench/summary.json says what
// ran on which machine.
//   npm run bench                                  (every part)
//   BENCH_PARTS=startup,detection-lag npm run bench (some)
// The local cluster's own benchmark (cluster up time, control-plane memory during the
// suite) stays `npm run bench:local-cluster`.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("./", import.meta.url));

const PARTS: { key: string; title: string; file: string }[] = [
  { key: "startup", title: "CLI start-up", file: "startup.ts" },
  { key: "detection-lag", title: "Detection lag (API server acknowledgement to sighting)", file: "detection-lag.ts" },
  { key: "zone-outage", title: "Zone outage, 300 kwok nodes (issue 13 item 3)", file: "zone-outage.ts" },
  { key: "suite-phases", title: "Scenario suite wall time by phase (issue 13 item 4)", file: "suite-phases.ts" },
];

const wanted = process.env.BENCH_PARTS?.split(",").map((s) => s.trim());
const unknown = wanted?.filter((w) => !PARTS.some((p) => p.key === w)) ?? [];
if (unknown.length)
  throw new Error(`BENCH_PARTS: unknown part(s) ${unknown.join(", ")} (known: ${PARTS.map((p) => p.key).join(", ")})`);

const machine = {
  cpus: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const summary: Record<string, { status: "done" | "failed"; text?: string; error?: string }> = {};
for (const p of PARTS.filter((x) => !wanted || wanted.includes(x.key))) {
  console.log(`\n== ${p.title} ==`);
  const file = path.join(HERE, p.file);
  try {
    const mod = (await import(file)) as { part(): Promise<string> };
    const text = await mod.part();
    console.log(text);
    summary[p.key] = { status: "done", text };
  } catch (err) {
    console.log(`failed: ${(err as Error).message}`);
    summary[p.key] = { status: "failed", error: (err as Error).message };
    process.exitCode = 1;
  }
}
await fs.mkdir(path.join(HERE, "../reports/bench"), { recursive: true });
const out = { date: new Date().toISOString(), machine, parts: summary };
await fs.writeFile(path.join(HERE, "../reports/bench/summary.json"), JSON.stringify(out, null, 2));
