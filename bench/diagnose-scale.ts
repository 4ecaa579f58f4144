// Benchmark: how long `kubedrill diagnose --all-namespaces` takes on a local cluster with
// 50 namespaces and 1,000 running pods (4 Deployments x 5 replicas and their Services per
// namespace, on the 6 default kwok nodes, whose pod capacity is raised from 110 to 250 so
// that 1,000 pods fit; each node has its own kwok process, so extra nodes would stay NotReady).
//   npx tsx bench/diagnose-scale.ts     (writes reports/bench/diagnose-scale.json)
// Env: BENCH_NAMESPACES (50), BENCH_PODS (1000), BENCH_ROUNDS (5).
import fs from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { fileURLToPath } from "node:url";
import { localProvider } from "../src/providers/local/index.ts";
import { defaultNodes } from "../src/providers/local/topology.ts";
import { createKube } from "../src/k8s/client.ts";
import { createLogger } from "../src/util/log.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const namespaces = Number(process.env.BENCH_NAMESPACES ?? 50);
const totalPods = Number(process.env.BENCH_PODS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const APPS = 4;
const replicas = Math.ceil(totalPods / namespaces / APPS);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const say = (s: string) => process.stderr.write(`${s}\n`);

async function poll(what: string, limitMs: number, check: () => Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`${what}: not reached within ${limitMs}ms`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const cluster = await localProvider().start({
  name: `bench-diag-${process.pid}`,
  log: createLogger({ write: () => undefined }),
});
try {
  const kube = createKube(cluster.kubeconfigPath);
  const PODS_PER_NODE = "250";
  for (const n of defaultNodes())
    await kube.patch(
      { apiVersion: "v1", kind: "Node", name: n.name },
      { status: { capacity: { pods: PODS_PER_NODE }, allocatable: { pods: PODS_PER_NODE } } },
      "merge",
      { subresource: "status" },
    );
  for (let i = 0; i < namespaces; i++) {
    const ns = `bench-${String(i).padStart(2, "0")}`;
    await kube.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    for (let a = 0; a < APPS; a++) {
      const app = `app-${a}`;
      await kube.apply({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: app, namespace: ns },
        spec: {
          replicas,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: { containers: [{ name: "app", image: "busybox", ports: [{ name: "http", containerPort: 8080 }] }] },
          },
        },
      });
      await kube.apply({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: app, namespace: ns },
        spec: { selector: { app }, ports: [{ port: 80, targetPort: "http" }] },
      });
    }
  }
  const want = namespaces * APPS * replicas;
  say(
    `created ${namespaces} namespaces, ${namespaces * APPS} Deployments of ${replicas}; waiting for ${want} Running pods`,
  );
  await poll(`${want} Running pods`, 15 * 60_000, async () => {
    const { items } = await kube.list({ apiVersion: "v1", kind: "Pod" });
    const running = items.filter((p) => p.metadata.namespace?.startsWith("bench-") && p.status?.phase === "Running");
    say(`  ${running.length}/${want} Running`);
    return running.length >= want;
  });
  const times: number[] = [];
  let last: { findings: unknown[] } | undefined;
  for (let r = 0; r < rounds; r++) {
    const start = Date.now();
    const res = await execa(
      process.execPath,
      [
        path.join(REPO, "bin/kubedrill.js"),
        "diagnose",
        "--all-namespaces",
        "--output",
        "json",
        "--kubeconfig",
        cluster.kubeconfigPath,
      ],
      { cwd: REPO, reject: false },
    );
    times.push(Date.now() - start);
    last = JSON.parse(res.stdout) as { findings: unknown[] };
    say(`round ${r + 1}: ${times.at(-1)}ms, exit ${res.exitCode}, ${last.findings.length} findings`);
  }
  const result = {
    date: new Date().toISOString(),
    namespaces,
    pods: want,
    nodes: defaultNodes().length,
    podsPerNode: PODS_PER_NODE,
    rounds,
    diagnoseAllNamespacesMs: { median: median(times), min: Math.min(...times), max: Math.max(...times), all: times },
    findings: last?.findings.length ?? 0,
  };
  await fs.mkdir(path.join(REPO, "reports/bench"), { recursive: true });
  await fs.writeFile(path.join(REPO, "reports/bench/diagnose-scale.json"), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
} finally {
  await cluster.stop();
}
