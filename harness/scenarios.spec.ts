// Integration: every shipped scenario through the CLI on the embedded local cluster, with
// real nodes (every signal real) and with kwok nodes (the fallback, models marked simulated).
// Each must pass within its targets with all four reports written and nothing left in
// the cluster; with remediation disabled each must fail on its RTO.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { localProvider } from "../src/providers/local/index.ts";
import { createKube } from "../src/k8s/client.ts";
import { createLogger } from "../src/util/log.ts";
import type { Kube } from "../src/k8s/kube.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import type { RunReport } from "../src/report/types.ts";
import { suitePhases, suitePhasesTable } from "../bench/suite-phases.ts";
import { kubedrill } from "./support/cli.ts";
import { leftovers } from "./support/leftovers.ts";
import { realNodeSupport } from "../src/providers/local/nodes/support.ts";

const CORE = ["cidr-overlap", "disk-full", "ingress-conflict", "pvc-unbound", "quota-exhaustion", "zone-unavailable"];
// every scenario shipped in scenarios/: the six core ones and the rest of the catalogue
const ALL = [
  ...CORE,
  "dns-failure",
  "image-incompatible",
  "image-pull-auth",
  "network-latency",
  "no-endpoints",
  "node-loss",
  "registry-egress-blocked",
  "service-unreachable",
  "start-parameters",
  "wal-disk-full",
].sort();
// what kwok nodes lack (a registry, pulls, a node firewall, CoreDNS): skipped there, with the reason
const KWOK_SKIPPED: Record<string, RegExp> = {
  "dns-failure": /^needs clusterDNS .*; cluster local\/kwok has none$/,
  "image-pull-auth": /^needs authRegistry .*; cluster local\/kwok has none$/,
  "network-latency": /^needs realDataPlane .* and kubedrillImages .*; cluster local\/kwok has neither$/,
  "registry-egress-blocked": /^needs nodeEgressFirewall .* and kubedrillImages .*; cluster local\/kwok has neither$/,
  "start-parameters": /^needs realDataPlane .* and kubedrillImages .*; cluster local\/kwok has neither$/,
  "wal-disk-full": /^needs realDataPlane .*, kubedrillImages .* and nodeDisk .*; cluster local\/kwok has none of them$/,
};
const ran = (nodes: "real" | "kwok") => ALL.filter((n) => nodes === "real" || !(n in KWOK_SKIPPED));
const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });

// what each scenario's report says on kwok nodes: models stand in for the data plane and the kubelet
const KWOK_SIMULATED = {
  "cidr-overlap": true,
  "ingress-conflict": true,
  "disk-full": true,
  "service-unreachable": true,
  "no-endpoints": true,
  "image-incompatible": true,
  "quota-exhaustion": false,
  "pvc-unbound": false,
  // the readiness of the pods that replace the lost zone's comes from kwok
  "zone-unavailable": true,
  // likewise the replacement pods' readiness
  "node-loss": true,
};
const REAL_SIMULATED = Object.fromEntries(ALL.map((n) => [n, false]));

for (const nodes of ["real", "kwok"] as const)
  describe(`the scenario suite (the six core scenarios and the rest) on the local provider, ${nodes} nodes`, function () {
    this.timeout(45 * 60_000);
    const name = `it-scn-${nodes}-${process.pid}`;
    let cluster: StartedCluster | undefined;
    let kube: Kube;
    let tmp: string;

    before(async function () {
      if (nodes === "real") {
        const support = realNodeSupport();
        if (!support.ok) {
          console.log(`    skipped: this host cannot run real nodes: ${support.reason}`);
          this.skip();
        }
      }
      cluster = await localProvider({ nodes }).start({ name, log });
      kube = createKube(cluster.kubeconfigPath);
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-scn-"));
    });
    after(async () => {
      await cluster?.stop();
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    /**
     * `kubedrill run scenarios/` on this describe's cluster, reports into `dir`. Up to 40
     * minutes: with --no-remediate on real nodes every scenario waits out its RTO target, one
     * at a time (about 19 minutes for the fourteen scenarios).
     */
    const runSuite = (dir: string, ...extra: string[]) =>
      kubedrill(
        ["run", "scenarios/", "--provider", "local", "--name", name, "--nodes", nodes, ...extra, "--report-dir", dir],
        { timeoutMs: 40 * 60_000 },
      );

    it("`kubedrill run scenarios/` passes every scenario within its targets and leaves nothing behind", async () => {
      const dir = path.join(tmp, "pass");
      const r = await runSuite(dir);
      expect(r.exitCode, r.all).to.equal(0);
      for (const f of ["report.json", "junit.xml", "summary.md", "report.html"])
        expect(existsSync(path.join(dir, f)), f).to.equal(true);
      const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
      expect(report.scenarios.map((s) => s.name).sort()).to.deep.equal(ALL);
      for (const s of report.scenarios) {
        if (nodes === "kwok" && KWOK_SKIPPED[s.name]) {
          expect(s.status, s.name).to.equal("skipped");
          expect(s.reasons, s.name).to.have.length(1);
          expect(s.reasons[0], s.name).to.match(KWOK_SKIPPED[s.name]!);
          continue;
        }
        expect(s.status, `${s.name}: ${s.reasons.join("; ")}`).to.equal("passed");
        expect(s.ttdMs, `${s.name} TTD`).to.be.a("number").and.at.most(s.targets.ttdMs);
        expect(s.rtoMs, `${s.name} RTO`).to.be.a("number").and.at.most(s.targets.rtoMs);
        expect(s.cleanup.ok, `${s.name} cleanup: ${s.cleanup.leftovers.join(", ")}`).to.equal(true);
        process.stderr.write(
          `    ${s.name}: TTD ${s.ttdMs}ms / ${s.targets.ttdMs}ms, RTO ${s.rtoMs}ms / ${s.targets.rtoMs}ms${s.simulated ? " (simulated signals)" : ""}\n`,
        );
      }
      // evidence a model produced is marked simulated; on real nodes nothing is
      const simulated = Object.fromEntries(
        report.scenarios.filter((s) => s.status !== "skipped").map((s) => [s.name, s.simulated]),
      );
      expect(simulated).to.deep.equal(nodes === "real" ? REAL_SIMULATED : KWOK_SIMULATED);
      if (nodes === "real")
        for (const s of report.scenarios) {
          const modelled = s.evidence.filter((e) => e.simulated).map((e) => e.text);
          expect(modelled, `${s.name}: evidence marked simulated on real nodes`).to.deep.equal([]);
        }
      expect(await leftovers(kube)).to.deep.equal([]);
      // where the wall time went (issue 13's suite goal), for the CI log
      process.stderr.write(`${suitePhasesTable(suitePhases(report, nodes, r.exitCode ?? -1))}\n`);
    });

    it("with --no-remediate every scenario fails on its RTO, and junit.xml says so", async () => {
      const dir = path.join(tmp, "noremediate");
      // each scenario waits out its whole RTO target here; kwok nodes take four at a time
      // (those that touch nodes still run alone), real nodes one at a time: side by side on
      // this 2-core machine, one attempt's load slows the other's service past its p95 budget
      // before the fault (network-latency's baseline failed so in a rehearsal)
      const r = await runSuite(dir, "--no-remediate", ...(nodes === "kwok" ? ["--parallel", "4"] : []));
      expect(r.exitCode, r.all).to.equal(1);
      const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as RunReport;
      const junit = readFileSync(path.join(dir, "junit.xml"), "utf8");
      for (const s of report.scenarios) {
        if (nodes === "kwok" && KWOK_SKIPPED[s.name]) {
          expect(s.status, s.name).to.equal("skipped");
          continue;
        }
        expect(s.status, s.name).to.equal("failed");
        expect(s.ttdMs, `${s.name} still detected: ${s.reasons.join("; ")}`).to.be.a("number");
        expect(s.rtoMs, `${s.name} not recovered`).to.equal(null);
        expect(s.reasons.join(" "), s.name).to.match(
          new RegExp(`not recovered within RTO target ${s.targets.rtoMs}ms`),
        );
      }
      const cases = [...junit.matchAll(/<testcase name="([^"]+)"[^>]*>([\s\S]*?)<\/testcase>/g)];
      const failures = cases
        .map((m) => [m[1], /<failure message="([^"]*)"/.exec(m[2]!)?.[1]] as const)
        .filter(([, f]) => f !== undefined);
      expect(failures.map(([n]) => n).sort()).to.deep.equal(ran(nodes));
      for (const [n, message] of failures) expect(message, n).to.match(/not recovered within RTO target/);
      expect(await leftovers(kube)).to.deep.equal([]);
    });
  });
