import { expect } from "chai";
import { DetectionMonitor } from "../../src/engine/detection.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { ClusterView, type ViewChange } from "../../src/engine/view.ts";
import { instantiate } from "../../src/pipeline/instantiate.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import type { EvalContext } from "../../src/sdk/types.ts";
import { FakeClock, flushMicrotasks } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { event } from "../fakes/objects.ts";
import { scenario, spec } from "../fakes/scenario.ts";

const NS = "kd-x-1";
const EVENT = { apiVersion: "v1", kind: "Event", namespace: NS, name: "e1" };
const backOff = (name: string) =>
  event(name, NS, { kind: "Pod", name: "web-0", namespace: NS }, "BackOff", "Back-off restarting failed container");

async function detecting() {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  const built = instantiate(
    scenario("x", { detect: { mode: "all", signals: [spec("event", { reason: "BackOff", involvedKind: "Pod" })] } }),
    { namespace: NS, runId: "r", registries: defaultRegistries(), sources: new SourceFiles() },
  );
  const view = new ClusterView(kube, { clock, log });
  await view.ensure(built.needs);
  const changes: ViewChange[] = [];
  view.subscribe((c) => changes.push(c));
  const ctx = { view, namespace: NS, runId: "r", clock, log, cwd: "/", env: {} } as unknown as EvalContext;
  const monitor = new DetectionMonitor(built.signals, ctx, "all").start();
  return { clock, kube, monitor, changes, t0: clock.now() };
}

describe("detection across an API server restart (replayed watch events)", () => {
  it("an object re-delivered after the reconnect with the resourceVersion already seen is no sighting", async () => {
    const d = await detecting();
    d.kube.put(backOff("e1")); // before the fault: received, not counted
    await flushMicrotasks();
    d.monitor.countFrom(d.t0 + 500);
    await d.clock.advance(8000); // the API server is down; then the watch resumes and re-lists
    const before = d.changes.length;
    d.kube.emit("ADDED", d.kube.object(EVENT)!); // the re-list hands the same object again
    d.kube.emit("MODIFIED", d.kube.object(EVENT)!);
    d.kube.emit("DELETED", backOff("never-seen")); // the deletion of something the cache never had
    await flushMicrotasks();
    expect(d.changes.length - before).to.equal(0);
    expect(d.monitor.sightings()).to.deep.equal([]);
    expect(d.monitor.detectedAt()).to.equal(undefined);
  });

  it("a change that is new (a later resourceVersion) still counts, stamped when it arrives", async () => {
    const d = await detecting();
    d.kube.put(backOff("e1"));
    await flushMicrotasks();
    d.monitor.countFrom(d.t0 + 500);
    await d.clock.advance(3000);
    d.kube.put({ ...d.kube.object(EVENT)!, count: 2 }); // the container backed off again, after the fault
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => s.at - d.t0)).to.deep.equal([3000]);
  });
});
