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
      { cwd: REPO, reject: false, all: true },
    );
    let output = "";
    child.all!.on("data", (c: Buffer) => (output += c.toString()));
    await waitUntil("the fault to be injected", 120_000, async () =>
      output.includes("stop the kubelet of") ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the zone is down now
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
    let output = "";
    child.all!.on("data", (c: Buffer) => (output += c.toString()));
    await waitUntil("the fault to be injected", 120_000, async () =>
      output.includes("stop the kubelet of") ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the zone is down now
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
});
