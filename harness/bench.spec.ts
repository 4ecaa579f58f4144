// Integration: the benchmark code runs, at a small size (the figures themselves are
// `npm run bench`'s business, not a test's): the detection-lag part on a kwok local cluster
// of its own, and the CLI start-up part once per command.
import { expect } from "chai";
import { measureDetectionLag } from "../bench/detection-lag.ts";
import { CONDITION } from "../bench/detection-lag/changes.ts";
import { measureStartup } from "../bench/startup.ts";
import { createKube } from "../src/k8s/client.ts";
import type { Kube } from "../src/k8s/kube.ts";
import { LABEL_RUN_ID } from "../src/k8s/types.ts";
import { localProvider } from "../src/providers/local/index.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import { createLogger } from "../src/util/log.ts";
import { leftovers } from "./support/leftovers.ts";

const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });
const CHANGES = ["event", "node condition", "node taint", "pod phase", "finding"];

describe("benchmarks (small size)", function () {
  this.timeout(20 * 60_000);
  let cluster: StartedCluster;
  let kube: Kube;

  before(async () => {
    cluster = await localProvider({ nodes: "kwok" }).start({ name: `it-bench-${process.pid}`, log });
    kube = createKube(cluster.kubeconfigPath);
  });

  after(async () => {
    await cluster?.stop();
  });

  it("measures the detection lag of every kind of change, idle and loaded, and leaves nothing behind", async () => {
    const r = await measureDetectionLag({
      kubeconfig: cluster.kubeconfigPath,
      signals: 20,
      loadObjects: 50,
      rate: 20,
      loadRate: 50,
      loadKind: "Event",
      say: (l) => log.info(l),
    });
    for (const phase of [r.idle, r.loaded]) {
      expect(phase.lag.signals).to.equal(20);
      expect(phase.lag.missed, "signals never seen").to.equal(0);
      expect(Object.keys(phase.byChange)).to.deep.equal(CHANGES);
      for (const f of Object.values(phase.byChange)) expect(f.signals).to.equal(4);
      expect(Number.isFinite(phase.lag.max), "max is a number").to.equal(true);
      expect(phase.lag.p50).to.be.at.most(phase.lag.p95);
    }
    expect(r.loaded.load.objects).to.equal(50);
    expect(r.loaded.load.writes, "load writes").to.be.greaterThan(0);

    expect(await leftovers(kube)).to.deep.equal([]);
    const node = await kube.get({ apiVersion: "v1", kind: "Node", name: r.node });
    const conditions = (node?.status?.conditions ?? []) as { type: string }[];
    expect(conditions.map((c) => c.type)).not.to.include(CONDITION);
    const events = await kube.list(
      { apiVersion: "v1", kind: "Event" },
      { namespace: "default", labelSelector: LABEL_RUN_ID },
    );
    expect(events.items.map((e) => e.metadata.name)).to.deep.equal([]);
    for (const ns of (await kube.list({ apiVersion: "v1", kind: "Namespace" })).items)
      if (/^(lag-|bench-lag-)/.test(ns.metadata.name ?? ""))
        expect(ns.status?.phase, `Namespace ${ns.metadata.name}`).to.equal("Terminating");
  });

  it("times every CLI start-up command", async () => {
    const r = await measureStartup({ runs: 1, build: false });
    expect(Object.keys(r.commands)).to.deep.equal([
      "node -e 0",
      "--version",
      "--help",
      "validate scenarios/",
      "schema",
    ]);
    for (const [label, c] of Object.entries(r.commands)) {
      expect(c.exitCode, label).to.equal(0);
      expect(c.allMs).to.have.length(1);
      expect(c.medianMs, label).to.be.greaterThan(0);
    }
  });
});
