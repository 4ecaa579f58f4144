// Integration: the local cluster's scale mode (`--workers`) on real kwok processes: one
// kwok process per zone; a single node stopped by relabelling it out of its process's
// selection, a whole zone by pausing the process; both reverted; and the zone-outage
// benchmark's code at a small size (9 nodes, 90 pods, no lag measurement).
import { expect } from "chai";
import { existsSync } from "node:fs";
import { zoneOutage } from "../bench/zone-outage.ts";
import { createKube } from "../src/k8s/client.ts";
import type { Kube } from "../src/k8s/kube.ts";
import { localProvider } from "../src/providers/local/index.ts";
import { localState } from "../src/providers/local/launcher.ts";
import { clusterDir } from "../src/providers/local/paths.ts";
import type { StartedCluster } from "../src/providers/provider.ts";
import { KWOK_GROUP_LABEL } from "../src/providers/local/topology.ts";
import { createLogger } from "../src/util/log.ts";
import { waitUntil } from "./support/wait.ts";

const log = createLogger({ write: (l) => process.stderr.write(`    ${l}\n`) });

async function readyOf(kube: Kube, names: string[]): Promise<string[]> {
  const { items } = await kube.list({ apiVersion: "v1", kind: "Node" });
  return names.map(
    (n) =>
      (items.find((x) => x.metadata.name === n)?.status?.conditions ?? []).find(
        (c: { type: string }) => c.type === "Ready",
      )?.status ?? "missing",
  );
}

describe("local cluster scale mode (kwok, --workers)", function () {
  this.timeout(20 * 60_000);
  const name = `it-scale-${process.pid}`;
  let cluster: StartedCluster;
  let kube: Kube;

  before(async () => {
    cluster = await localProvider({ nodes: "kwok", workers: 9 }).start({ name, log });
    kube = createKube(cluster.kubeconfigPath);
  });

  after(async () => {
    await cluster?.stop();
  });

  it("runs one kwok process per zone for nine nodes, and records the count", async () => {
    const state = (await localState(name))!;
    expect(state.workers).to.equal(9);
    expect(state.processes.filter((p) => p.name.startsWith("kwok-")).map((p) => p.name)).to.deep.equal([
      "kwok-zone-a",
      "kwok-zone-b",
      "kwok-zone-c",
    ]);
    const { items } = await kube.list({ apiVersion: "v1", kind: "Node" });
    expect(items.map((n) => n.metadata.labels?.[KWOK_GROUP_LABEL]).sort()).to.deep.equal([
      "zone-a",
      "zone-a",
      "zone-a",
      "zone-b",
      "zone-b",
      "zone-b",
      "zone-c",
      "zone-c",
      "zone-c",
    ]);
  });

  it("stops one node of a zone (its zone's others stay Ready) and brings it back", async () => {
    const undo = await cluster.actions.stopNodes(["worker2"]);
    await waitUntil("worker2 Ready=Unknown", 60_000, async () =>
      (await readyOf(kube, ["worker2"]))[0] === "Unknown" ? true : undefined,
    );
    expect(await readyOf(kube, ["worker", "worker3"])).to.deep.equal(["True", "True"]);
    await undo.revert();
    await waitUntil("worker2 Ready again", 60_000, async () =>
      (await readyOf(kube, ["worker2"]))[0] === "True" ? true : undefined,
    );
  });

  it("stops a whole zone by pausing its process and brings it back", async () => {
    const zoneB = ["worker4", "worker5", "worker6"];
    const undo = await cluster.actions.stopNodes(zoneB);
    await waitUntil("zone-b Ready=Unknown", 60_000, async () =>
      (await readyOf(kube, zoneB)).every((s) => s === "Unknown") ? true : undefined,
    );
    expect(await readyOf(kube, ["worker", "worker7"])).to.deep.equal(["True", "True"]);
    await undo.revert();
    await waitUntil("zone-b Ready again", 60_000, async () =>
      (await readyOf(kube, zoneB)).every((s) => s === "True") ? true : undefined,
    );
  });

  it("runs the zone-outage benchmark at a small size and removes its cluster", async () => {
    const r = await zoneOutage({ workers: 9, pods: 90, lagSignals: 0, lagLoad: 0, keep: false });
    expect(r.scenario.status, r.scenario.reasons.join("; ")).to.equal("passed");
    expect(r.scenario.ttdMs).to.be.a("number");
    expect(r.harnessPeakMiB).to.be.greaterThan(0);
    expect(r.controlPlanePeakMiB.perProcess).to.have.property("kwok-zone-b").that.is.greaterThan(0);
    expect(existsSync(clusterDir(r.clusterName))).to.equal(false);
  });
});
