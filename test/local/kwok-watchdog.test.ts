import { expect } from "chai";
import { kwokGroups } from "../../src/providers/local/kwok-groups.ts";
import { KwokWatchdog } from "../../src/providers/local/kwok-watchdog.ts";

describe("KwokWatchdog: a kwok process that stalled at start", () => {
  const groups = kwokGroups(); // one process per node: kwok-worker ... kwok-worker6
  const all = groups.flatMap((g) => g.nodes);
  const sizes = new Map<string, number>(groups.map((g) => [g.process, 100]));
  const size = (p: string) => sizes.get(p)!;

  it("names a process whose log has not grown for stallMs while its node waits, once it has no Lease", () => {
    const w = new KwokWatchdog(groups, 15_000);
    const ready = new Set(all.filter((n) => n !== "worker2"));
    expect(w.silent(0, size, ready), "the first look only records sizes").to.deep.equal([]);
    expect(w.silent(14_999, size, ready), "not silent long enough yet").to.deep.equal([]);
    const silent = w.silent(15_000, size, ready);
    // the other processes are silent too in this test, but their nodes are Ready
    expect(silent.map((g) => g.process)).to.deep.equal(["kwok-worker2"]);
    expect(w.stalled(silent, ready, new Set(["worker", "worker3"]))).to.deep.equal([
      { group: { process: "kwok-worker2", nodes: ["worker2"] }, waiting: ["worker2"] },
    ]);
    expect(w.stalled(silent, ready, new Set(["worker2"])), "a Lease means kwok took the node").to.deep.equal([]);
    expect(w.silenceMs("kwok-worker2", 20_000)).to.equal(20_000);
  });

  it("a growing log restarts the count; a restarted process is not named again", () => {
    const w = new KwokWatchdog(groups, 15_000);
    const ready = new Set<string>();
    w.silent(0, size, ready);
    sizes.set("kwok-worker", 200);
    const silent = w.silent(15_000, size, ready).map((g) => g.process);
    expect(silent).to.not.include("kwok-worker");
    expect(silent).to.include("kwok-worker2");
    w.noteRestart("kwok-worker2", 15_000, size("kwok-worker2"));
    // silent again for longer than stallMs, its node still waiting: not named a second time
    expect(w.silenceMs("kwok-worker2", 40_000)).to.equal(25_000);
    const later = w.silent(40_000, size, ready).map((g) => g.process);
    expect(later).to.include("kwok-worker3");
    expect(later).to.not.include("kwok-worker2");
  });

  it("scale mode: a zone's process holding any waiting node's Lease is making progress", () => {
    const zones = kwokGroups(9);
    const w = new KwokWatchdog(zones, 1_000);
    const ready = new Set<string>();
    const flat = () => 10;
    w.silent(0, flat, ready);
    const silent = w.silent(1_000, flat, ready);
    expect(silent).to.have.length(3);
    const firstOfZoneA = zones[0]!.nodes[0]!;
    const stalled = w.stalled(silent, ready, new Set([firstOfZoneA]));
    expect(stalled.map((s) => s.group.process)).to.deep.equal(zones.slice(1).map((g) => g.process));
  });
});
