// Benchmark: real local nodes. Warm `cluster up --nodes real` (median of BENCH_ROUNDS, default
// 3), pod start (creation to Ready, as the watch sees them) p50/p95 over BENCH_PODS pods
// (default 60) spread over the six nodes, and memory: resident set of each node's processes
// and containers (its cgroup) and of the control plane.
//   npm run bench:real-nodes        (writes reports/bench/real-nodes.json)
import fs from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { upLocal, downLocal } from "../src/providers/local/launcher.ts";
import { realNodeSupport } from "../src/providers/local/nodes/support.ts";
import { createKube } from "../src/k8s/client.ts";
import type { KObject } from "../src/k8s/types.ts";
import { createLogger } from "../src/util/log.ts";
import { percentile } from "../src/report/stats.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const podCount = Number(process.env.BENCH_PODS ?? 60);
const log = createLogger({ write: () => undefined });
const name = `bench-real-${process.pid}`;

const support = realNodeSupport();
if (!support.ok) throw new Error(`this host cannot run real nodes: ${support.reason}`);

/** Resident memory (MiB) of the running processes whose cgroup path contains `fragment`. */
function rssMiB(fragment: string): number {
  let kib = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cgroup`, "utf8").includes(fragment)) continue;
      kib += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited while we looked
    }
  }
  return Math.round(kib / 1024);
}

const upTimes: number[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    const r = await upLocal({ name, log, nodes: "real" });
    upTimes.push(r.elapsedMs);
    process.stderr.write(`round ${i + 1}: cluster up to 6 Ready real nodes in ${r.elapsedMs}ms\n`);
    if (i < rounds - 1) await downLocal(name);
  }
  const { state } = await upLocal({ name, log, nodes: "real" });
  const kube = createKube(state.kubeconfig);
  const created = new Map<string, number>();
  const ready = new Map<string, number>();
  const watch = await kube.watch(
    { apiVersion: "v1", kind: "Pod" },
    { namespace: "default", labelSelector: "app=bench" },
    (e) => {
      const n = e.object.metadata.name!;
      if (!created.has(n)) created.set(n, Date.now());
      const isReady = (e.object.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
      );
      if (isReady && !ready.has(n)) ready.set(n, Date.now());
    },
    (err) => process.stderr.write(`watch: ${err.message}\n`),
  );
  await kube.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "bench", namespace: "default" },
    spec: {
      replicas: podCount,
      selector: { matchLabels: { app: "bench" } },
      template: {
        metadata: { labels: { app: "bench" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "10m" } } }] },
      },
    },
  } as KObject);
  const deadline = Date.now() + 300_000;
  while (ready.size < podCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  watch.stop();
  const starts = [...ready].map(([n, t]) => t - created.get(n)!);
  const perNode = Object.fromEntries(
    ["worker", "worker2", "worker3", "worker4", "worker5", "worker6"].map((n) => [
      n,
      rssMiB(`/kubedrill/${name}/${n}/`),
    ]),
  );
  const router = rssMiB(`/kubedrill/${name}/router`) + rssMiB(`/kubedrill/${name}/ingress`);
  const controlPlane = state.processes
    .filter((p) =>
      ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "provisioner"].includes(p.name),
    )
    .reduce((sum, p) => {
      try {
        return sum + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
      } catch {
        return sum;
      }
    }, 0);
  const nodesTotal = Object.values(perNode).reduce((a, b) => a + b, 0);
  const result = {
    date: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, ${(await import("node:os")).cpus().length} cores`,
    warmUpMs: { rounds: upTimes, median: percentile(upTimes, 50) },
    podStartMs: {
      pods: podCount,
      ready: starts.length,
      p50: percentile(starts, 50),
      p95: percentile(starts, 95),
      max: Math.max(...starts),
    },
    memoryMiB: {
      perNode,
      nodesTotal,
      routerRegistryIngress: router,
      controlPlane: Math.round(controlPlane),
      total: Math.round(nodesTotal + router + controlPlane),
    },
  };
  const out = path.join(REPO, "reports", "bench");
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, "real-nodes.json"), JSON.stringify(result, null, 2));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await downLocal(name);
}
