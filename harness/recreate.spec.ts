// Integration (issue 17): remediations that delete and recreate an object of the run's
// namespace (a claim whose class was misspelt; a Service, which gets a new clusterIP) pass
// 20 runs in a row on the embedded local cluster, with nothing left behind.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { localProvider } from "../src/providers/local/index.ts";
import { createKube } from "../src/k8s/client.ts";
import { createLogger } from "../src/util/log.ts";
import type { Kube } from "../src/k8s/kube.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import type { RunReport } from "../src/report/types.ts";
import { kubedrill } from "./support/cli.ts";
import { leftovers } from "./support/leftovers.ts";

const REPEAT = 20;
const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });

describe("remediations that recreate an object: 20 runs in a row, nothing left behind", function () {
  this.timeout(60 * 60_000);
  const name = `it-rec-${process.pid}`;
  let cluster: StartedCluster;
  let kube: Kube;
  let tmp: string;

  before(async () => {
    cluster = await localProvider().start({ name, log });
    kube = createKube(cluster.kubeconfigPath);
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-rec-"));
  });
  after(async () => {
    await cluster?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  for (const scenario of ["pvc-class-typo", "service-recreated"]) {
    it(`${scenario}: --repeat ${REPEAT} passes every attempt and cleans up`, async () => {
      const dir = path.join(tmp, scenario);
      const file = `test/fixtures/recreate/${scenario}.yaml`;
      const started = Date.now();
      const r = await kubedrill(
        ["run", file, "--provider", "local", "--name", name, "--repeat", String(REPEAT), "--report-dir", dir],
        { timeoutMs: 50 * 60_000 },
      );
      const wallMs = Date.now() - started;
      const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
      const failed = report.scenarios.filter((s) => s.status !== "passed" || !s.cleanup.ok);
      for (const s of failed) process.stderr.write(`    attempt ${s.attempt}: ${s.status}: ${s.reasons.join("; ")}\n`);
      const agg = report.aggregates.find((a) => a.name === scenario)!;
      process.stderr.write(
        `    ${scenario}: ${agg.passed}/${agg.runs} passed, TTD median ${agg.ttd.median}ms, RTO median ${agg.rto.median}ms, wall ${Math.round(wallMs / 1000)}s\n`,
      );
      expect(r.exitCode, r.all).to.equal(0);
      expect(report.scenarios).to.have.length(REPEAT);
      expect(failed.map((s) => `${s.attempt}: ${s.reasons.join("; ")}`)).to.deep.equal([]);
      expect(agg.passed).to.equal(REPEAT);
      expect(await leftovers(kube)).to.deep.equal([]);
    });
  }
});
