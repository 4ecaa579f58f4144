// Integration: the API server (or etcd) of the local cluster is killed and restarted while
// a zone-unavailable run is detecting or recovering. The run must end with a verdict that
// its exit status, report.json and junit.xml agree on (passed or failed on honest times,
// or error), revert everything and leave nothing behind.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createKube } from "../src/k8s/client.ts";
import { localProvider } from "../src/providers/local/index.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import type { RunReport } from "../src/report/types.ts";
import { createLogger } from "../src/util/log.ts";
import { exitCodeForRun } from "../src/cli/exit.ts";
import { Drill } from "./support/drill.ts";
import { leftovers } from "./support/leftovers.ts";
import { restartComponent } from "./support/restart.ts";
import { waitUntil } from "./support/wait.ts";

describe("the control plane restarts during a run", function () {
  this.timeout(15 * 60_000);
  const name = `it-restart-${process.pid}`;
  let cluster: StartedCluster;
  let tmp: string;

  before(async () => {
    cluster = await localProvider().start({
      name,
      log: createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) }),
    });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-restart-"));
  });
  after(async () => {
    await cluster?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  const cases = [
    ["kube-apiserver", "detect"],
    ["etcd", "recover"],
  ] as const;
  for (const [component, phase] of cases.filter(([c]) => (process.env.KD_RESTART ?? c) === c)) {
    it(`${component} killed and restarted in ${phase}: an agreed verdict, honest times, nothing left`, async () => {
      const dir = path.join(tmp, component);
      const d = new Drill([
        "scenarios/zone-unavailable.yaml",
        "--provider",
        "local",
        "--name",
        name,
        "--report-dir",
        dir,
      ]);
      await d.reached(phase, 300_000);
      const { downMs } = await restartComponent(name, component);
      const r = await d.child;
      const out = d.lines.map((l) => `${l.level} ${l.msg}`).join("\n");
      const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
      const junit = readFileSync(path.join(dir, "junit.xml"), "utf8");
      const run = report.scenarios[0]!;
      process.stderr.write(
        `    ${component} down ${downMs}ms in ${phase}: ${run.status}, TTD ${run.ttdMs}ms, RTO ${run.rtoMs}ms, exit ${r.exitCode}; ${run.reasons.join("; ")}\n`,
      );
      if (run.status !== "passed")
        for (const t of run.timeline) process.stderr.write(`      ${t.offsetMs ?? ""} ${t.phase} ${t.what}\n`);
      expect(["passed", "failed", "error"], out).to.include(run.status);
      expect(report.status).to.equal(run.status);
      expect(r.exitCode, out).to.equal(exitCodeForRun(run.status));
      const errors = Number(/<testsuites [^>]*errors="(\d+)"/.exec(junit)![1]);
      const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(junit)![1]);
      expect({ errors, failures }).to.deep.equal({
        errors: run.status === "error" ? 1 : 0,
        failures: run.status === "failed" ? 1 : 0,
      });
      // Times are stamped when seen: the TTD is the latest first sighting (mode all), and
      // no sighting precedes the fault.
      const sightings = run.evidence.filter((e) => e.kind !== "probe" && e.kind !== "rpo");
      for (const e of sightings) expect(e.offsetMs!, e.signal).to.be.at.least(0);
      if (run.ttdMs !== null) expect(run.ttdMs).to.equal(Math.max(...sightings.map((e) => e.offsetMs!)));
      expect(run.cleanup.ok, run.cleanup.leftovers.join(", ")).to.equal(true);
      const kube = createKube(cluster.kubeconfigPath);
      await waitUntil("nothing left behind", 90_000, async () =>
        (await leftovers(kube)).length === 0 ? true : undefined,
      );
    });
  }
});
