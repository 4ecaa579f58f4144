// Background load for the detection-lag benchmark, in a process of its own (another
// client of the cluster, so its HTTP work does not share the engine's event loop):
// creates COUNT objects of KIND in NAMESPACE (which must exist), prints "ready", then
// patches them round-robin at RATE per second until SIGTERM, and prints one JSON line
// of what it did.
//   node --import tsx bench/detection-lag/load-writer.ts KUBECONFIG NAMESPACE COUNT RATE KIND
// KIND: Event (watched by the engine: a scenario with a Node event detector watches Events
// in every namespace) or ConfigMap (not watched: load on the API server only).
import { createKube } from "../../src/k8s/client.ts";
import type { KObject } from "../../src/k8s/types.ts";

const [kubeconfig, namespace, countArg, rateArg, kind = "Event"] = process.argv.slice(2);
if (!kubeconfig || !namespace)
  throw new Error("usage: load-writer.ts KUBECONFIG NAMESPACE COUNT RATE [Event|ConfigMap]");
if (kind !== "Event" && kind !== "ConfigMap") throw new Error(`load kind must be Event or ConfigMap, not "${kind}"`);
const count = Number(countArg);
const rate = Number(rateArg);
const CONCURRENCY = 16;

const kube = createKube(kubeconfig);
let stopping = false;
process.on("SIGTERM", () => (stopping = true));

const name = (i: number) => `load-${i}`;
function object(i: number): KObject {
  const metadata = { name: name(i), namespace };
  if (kind === "ConfigMap") return { apiVersion: "v1", kind, metadata, data: { n: "0" } };
  const now = new Date().toISOString();
  return {
    apiVersion: "v1",
    kind,
    metadata,
    involvedObject: { apiVersion: "v1", kind: "ConfigMap", name: name(i), namespace },
    reason: "BenchLoad",
    message: "background load",
    type: "Normal",
    source: { component: "bench-load-writer" },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}
const patchOf = (n: number) =>
  kind === "ConfigMap" ? { data: { n: String(n) } } : { count: n, lastTimestamp: new Date().toISOString() };

/** Runs `task(i)` for i in [0, total) with at most CONCURRENCY in flight, at most `perSec` started a second. */
async function paced(total: number, perSec: number, task: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (!stopping && next < total) {
      const i = next++;
      const due = start + (i * 1000) / perSec;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const started = performance.now();
await paced(count, 1000, (i) => kube.create(object(i)).then(() => undefined));
process.stdout.write(`ready ${Math.round(performance.now() - started)}\n`);

let writes = 0;
let errors = 0;
const loadStart = performance.now();
await paced(Number.MAX_SAFE_INTEGER, rate, async (i) => {
  try {
    await kube.patch({ apiVersion: "v1", kind, name: name(i % count), namespace }, patchOf(i + 2), "merge");
    writes++;
  } catch {
    errors++;
  }
});
const seconds = (performance.now() - loadStart) / 1000;
process.stdout.write(`${JSON.stringify({ writes, errors, seconds, perSecond: writes / seconds })}\n`);
