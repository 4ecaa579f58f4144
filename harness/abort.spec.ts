// Integration: an interrupted run reverts its faults, deletes its namespace, writes a
// partial report with status "aborted" and exits 130.
import { expect } from "chai";
import { execa } from "execa";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { localProvider } from "../src/providers/local/index.ts";
import { createKube } from "../src/k8s/client.ts";
import type { Kube } from "../src/k8s/kube.ts";
import type { KObject } from "../src/k8s/types.ts";
import { createLogger } from "../src/util/log.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import type { RunReport } from "../src/report/types.ts";
import { REPO } from "./support/cli.ts";
import { leftovers } from "./support/leftovers.ts";
import { waitUntil } from "./support/wait.ts";

describe("interrupting `kubedrill run`", function () {
  this.timeout(10 * 60_000);
  const name = `it-abort-${process.pid}`;
  let cluster: StartedCluster;
  let tmp: string;

  before(async () => {
    cluster = await localProvider().start({
      name,
      log: createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) }),
    });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-abort-"));
  });
  after(async () => {
    await cluster?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it("SIGINT while a zone is down: nodes come back, the namespace goes, the report says aborted, exit 130", async () => {
    const bin = fileURLToPath(new URL("../bin/kubedrill.js", import.meta.url));
    const dir = path.join(tmp, "r");
    const child = execa(
      process.execPath,
      [bin, "run", "scenarios/zone-unavailable.yaml", "--provider", "local", "--name", name, "--report-dir", dir],
      { cwd: REPO, reject: false, all: true, forceKillAfterDelay: false },
    );
    let output = "";
    child.all!.on("data", (c: Buffer) => (output += c.toString()));
    await zoneDown(createKube(cluster.kubeconfigPath));
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, output).to.equal(130);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
    expect(report.status).to.equal("aborted");
    expect(report.scenarios[0]?.status).to.equal("aborted");
    expect(report.scenarios[0]?.reasons.join(" ")).to.match(/interrupt|abort/i);
    const kube = createKube(cluster.kubeconfigPath);
    // zone-b's kubelets resume: the nodes turn Ready again and the taints go
    await waitUntil("nothing left behind", 60_000, async () =>
      (await leftovers(kube)).length === 0 ? true : undefined,
    );
    expect(await leftovers(kube)).to.deep.equal([]);
  });

  it("SIGKILL while a zone is down, then `kubedrill cleanup`: nothing left, at once", async () => {
    const bin = fileURLToPath(new URL("../bin/kubedrill.js", import.meta.url));
    const child = execa(
      process.execPath,
      [
        bin,
        "run",
        "scenarios/zone-unavailable.yaml",
        "--provider",
        "local",
        "--name",
        name,
        "--report-dir",
        path.join(tmp, "k"),
      ],
      { cwd: REPO, reject: false, all: true },
    );
    await zoneDown(createKube(cluster.kubeconfigPath));
    child.kill("SIGKILL");
    await child;
    const kube = createKube(cluster.kubeconfigPath);
    expect(await leftovers(kube), "a killed run leaves its fault in place").not.to.deep.equal([]);
    const started = Date.now();
    const cleanup = await execa(process.execPath, [bin, "cleanup", "--name", name], {
      cwd: REPO,
      reject: false,
      all: true,
    });
    expect(cleanup.exitCode, cleanup.all).to.equal(0);
    expect(cleanup.stdout).to.match(/deleted\s+Namespace\/kd-zone-unavailable-/);
    expect(cleanup.stdout).to.match(/repaired\s+resumed node worker3/);
    await waitUntil("nothing left behind", 60_000, async () =>
      (await leftovers(kube)).length === 0 ? true : undefined,
    );
    process.stderr.write(`    cleanup after SIGKILL: ${Date.now() - started} ms to nothing left\n`);
    const leases = await kube.list(
      { apiVersion: "coordination.k8s.io/v1", kind: "Lease" },
      { namespace: "default", labelSelector: "app.kubernetes.io/managed-by=kubedrill" },
    );
    expect(leases.items.map((l) => l.metadata.name)).to.deep.equal([]);
  });

  it("SIGTERM to the `npx` that launched it: kubedrill notices, reverts, reports aborted", async () => {
    const dir = path.join(tmp, "npx");
    const args = ["run", "scenarios/zone-unavailable.yaml", "--provider", "local", "--name", name, "--report-dir", dir];
    const launcher = execa("npx", ["--no-install", "kubedrill", ...args], {
      cwd: REPO,
      reject: false,
      all: true,
      forceKillAfterDelay: false,
    });
    const kube = createKube(cluster.kubeconfigPath);
    await zoneDown(kube);
    launcher.kill("SIGTERM");
    await launcher; // npx exits at once, without passing the signal on
    const report = await waitUntil("kubedrill's own report", 120_000, async () => {
      try {
        return JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
      } catch {
        return undefined;
      }
    });
    expect(report.status).to.equal("aborted");
    await waitUntil("nothing left behind", 60_000, async () =>
      (await leftovers(kube)).length === 0 ? true : undefined,
    );
  });
});

/** Waits until the fault is in place, as the cluster shows it: every zone-b node's Ready is no longer True. */
async function zoneDown(kube: Kube): Promise<void> {
  await waitUntil("zone-b's nodes not Ready (the fault injected)", 120_000, async () => {
    const { items } = await kube.list(
      { apiVersion: "v1", kind: "Node" },
      { labelSelector: "topology.kubernetes.io/zone=zone-b" },
    );
    const ready = (n: KObject) =>
      (n.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready")?.status === "True";
    return items.length > 0 && !items.some(ready) ? true : undefined;
  });
}
