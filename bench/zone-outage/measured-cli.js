// Runs the kubedrill CLI (bin/kubedrill.js, as a user runs it) and, as the process exits,
// writes its process.resourceUsage() to the file BENCH_RSS_FILE names: the harness's own
// peak resident set (maxRSS, KiB), without the benchmark's set-up in the same process.
//   BENCH_RSS_FILE=/tmp/usage.json node bench/zone-outage/measured-cli.js run scenarios/...
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (!file) throw new Error("BENCH_RSS_FILE must name the file for the resource usage");
process.on("exit", () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
await import("../../bin/kubedrill.js");
