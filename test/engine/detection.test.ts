import { expect } from "chai";
import { DetectionMonitor } from "../../src/engine/detection.ts";
import { instantiate } from "../../src/pipeline/instantiate.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import type { Detector, EvalContext, Signal } from "../../src/sdk/types.ts";
import { ClusterView } from "../../src/engine/view.ts";
import { FakeClock, flushMicrotasks } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { conditionFields, event, node, pod, writtenBy } from "../fakes/objects.ts";
import { MODEL_FIELD_MANAGER } from "../../src/sdk/provenance.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { processResult } from "../fakes/process.ts";

const NS = "kd-x-1";

async function detecting(
  signals: ReturnType<typeof spec>[],
  mode: "all" | "any" = "all",
  extra: Partial<EvalContext> = {},
) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  const log = memoryLogger();
  const built = instantiate(scenario("x", { detect: { mode, signals } }), {
    namespace: NS,
    runId: "r",
    registries: defaultRegistries(),
    sources: new SourceFiles(),
  });
  const view = new ClusterView(kube, { clock, log });
  await view.ensure(built.needs);
  const ctx = {
    view,
    namespace: NS,
    runId: "r",
    clock,
    log,
    exec: async () => processResult(),
    fetch: async () => ({ status: 200, text: async () => "" }),
    cwd: "/",
    env: {},
    ...extra,
  } as EvalContext;
  const monitor = new DetectionMonitor(built.signals, ctx, mode).start();
  return { clock, kube, view, monitor, t0: clock.now() };
}

describe("detection", () => {
  it("watches before the fault but counts only what arrives at or after the fault start", async () => {
    const d = await detecting([
      spec("event", { reason: "FailedScheduling", involvedKind: "Pod", message: "Insufficient cpu" }),
    ]);
    d.kube.put(
      event(
        "early",
        NS,
        { kind: "Pod", name: "api-0", namespace: NS },
        "FailedScheduling",
        "0/3 nodes are available: 3 Insufficient cpu.",
      ),
    );
    // the early event (received at t0) is delivered only after the fault start is set
    d.monitor.countFrom(d.t0 + 1000);
    await flushMicrotasks();
    expect(d.monitor.sightings()).to.deep.equal([]);
    await d.clock.advance(3500);
    d.kube.put(
      event(
        "late",
        NS,
        { kind: "Pod", name: "api-1", namespace: NS },
        "FailedScheduling",
        "0/3 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint.",
      ),
    );
    await flushMicrotasks();
    const [s] = d.monitor.sightings();
    expect(s!.at - d.t0).to.equal(3500);
    expect(s!.signal.text).to.equal(
      "Warning FailedScheduling on Pod/api-1: 0/3 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint.",
    );
    expect(d.monitor.detectedAt()! - d.t0).to.equal(3500);
  });

  it("matches events by a label selector on the involved object, looked up in the cache", async () => {
    const d = await detecting([spec("event", { reason: "BackOff", selector: "app=web,tier in (front)" })]);
    d.kube.put(pod("web-0", NS, { app: "web", tier: "front" }, false));
    d.kube.put(pod("db-0", NS, { app: "db" }, false));
    await flushMicrotasks();
    d.monitor.countFrom(d.clock.now());
    d.kube.put(
      event("e1", NS, { kind: "Pod", name: "db-0", namespace: NS }, "BackOff", "Back-off restarting failed container"),
    );
    d.kube.put(
      event("e2", NS, { kind: "Pod", name: "ghost", namespace: NS }, "BackOff", "Back-off restarting failed container"),
    );
    await flushMicrotasks();
    expect(d.monitor.sightings()).to.have.length(0);
    await d.clock.advance(700);
    d.kube.put(
      event("e3", NS, { kind: "Pod", name: "web-0", namespace: NS }, "BackOff", "Back-off restarting failed container"),
    );
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => [s.signal.text, s.at - d.t0])).to.deep.equal([
      ["Warning BackOff on Pod/web-0: Back-off restarting failed container", 700],
    ]);
  });

  it("mode all: TTD is the last of the first sightings; any: the first", async () => {
    const signals = () => [
      spec("event", { reason: "Evicted", involvedKind: "Pod" }),
      spec("condition", { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" }),
    ];
    for (const [mode, expected] of [
      ["all", 5000],
      ["any", 2000],
    ] as const) {
      const d = await detecting(signals(), mode);
      d.kube.put(node("n1"));
      await flushMicrotasks();
      d.monitor.countFrom(d.clock.now());
      await d.clock.advance(2000);
      d.kube.put(
        event("ev", NS, { kind: "Pod", name: "p" }, "Evicted", "The node was low on resource: ephemeral-storage."),
      );
      await d.clock.advance(3000);
      d.kube.put(
        node("n1", {
          conditions: [
            {
              type: "DiskPressure",
              status: "True",
              reason: "KubeletHasDiskPressure",
              message: "kubelet has disk pressure",
            },
          ],
        }),
      );
      await flushMicrotasks();
      expect(d.monitor.detectedAt()! - d.t0, mode).to.equal(expected);
      expect(d.monitor.sightings().map((s) => s.signal.text)).to.deep.equal([
        "Warning Evicted on Pod/p: The node was low on resource: ephemeral-storage.",
        "Node/n1 DiskPressure=True (KubeletHasDiskPressure): kubelet has disk pressure",
      ]);
    }
  });

  it("taint, field, finding and probeFails signals, simulated when a model wrote what they read", async () => {
    const findings = [
      {
        code: "NodeDiskPressure" as const,
        severity: "critical" as const,
        object: { apiVersion: "v1", kind: "Node", name: "n1" },
        message: "node n1 reports DiskPressure",
        evidence: ["DiskPressure=True"],
        remedy: "free disk",
      },
    ];
    const d = await detecting(
      [
        spec("taint", { nodes: { names: ["n1"] }, key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }),
        spec("field", { target: { kind: "Pod", name: "p1" }, path: "status.phase", equals: "Failed" }),
        spec("finding", { code: "NodeDiskPressure", namespace: NS, message: "DiskPressure" }),
        spec("probeFails", { probe: { podsReady: { selector: "app=web" } } }),
      ],
      "all",
      { analyse: (snap) => (snap.nodes.some((n) => n.spec?.taints) ? findings : []) },
    );
    d.kube.put(pod("web-0", NS, { app: "web" }, true));
    d.kube.put(node("n1"));
    await flushMicrotasks();
    d.monitor.countFrom(d.clock.now());
    await d.clock.advance(100);
    // the model wrote DiskPressure, the node-lifecycle controller the taint
    const pressure = { type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure" };
    const tainted = node("n1", {
      taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }],
      conditions: [pressure],
    });
    d.kube.put(
      writtenBy(writtenBy(tainted, MODEL_FIELD_MANAGER, conditionFields("DiskPressure")), "kube-controller-manager", {
        "f:spec": { "f:taints": {} },
      }),
    );
    await d.clock.advance(100);
    // kwok (the kubelet of a kwok node) wrote the pod's phase; a real kubelet the other pod's readiness
    d.kube.put(writtenBy(pod("p1", NS, {}, false, "Failed"), "kwok", { "f:status": { "f:phase": {} } }));
    await d.clock.advance(100);
    d.kube.put(writtenBy(pod("web-0", NS, { app: "web" }, false), "kubelet", conditionFields("Ready")));
    await flushMicrotasks();
    const seen = d.monitor.sightings().map((s) => [s.signal.kind, s.signal.text, s.at - d.t0, s.signal.simulated]);
    expect(seen).to.deep.equal([
      ["taint", "Node/n1 taint node.kubernetes.io/disk-pressure:NoSchedule", 100, false],
      ["field", `Pod/${NS}/p1 status.phase = Failed`, 200, true],
      ["finding", "NodeDiskPressure Node/n1: node n1 reports DiskPressure [DiskPressure=True]", 100, true],
      ["probe", `0/1 pods app=web Ready in ${NS}: web-0 Running (Ready: ContainersNotReady)`, 300, false],
    ]);
  });

  it("a condition, taint or finding already present before the fault counts only once it has gone and come back", async () => {
    const finding = {
      code: "NodeDiskPressure" as const,
      severity: "critical" as const,
      object: { kind: "Node", name: "n1" },
      message: "node n1 reports DiskPressure",
      evidence: [],
      remedy: "free disk",
    };
    const d = await detecting(
      [
        spec("condition", { target: { kind: "Node", name: "n1" }, type: "DiskPressure", status: "True" }),
        spec("taint", { nodes: { names: ["n1"] }, key: "node.kubernetes.io/disk-pressure" }),
        spec("finding", { code: "NodeDiskPressure", namespace: NS }),
        spec("field", { target: { kind: "Node", name: "n1" }, path: "metadata.labels.disk", equals: "full" }),
      ],
      "all",
      { analyse: (snap) => (snap.nodes.some((n) => n.spec?.taints) ? [finding] : []) },
    );
    const pressured = (labels: Record<string, string> = {}) =>
      node("n1", {
        labels,
        taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }],
        conditions: [{ type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure" }],
      });
    d.kube.put(pressured());
    await flushMicrotasks();
    const present = await d.monitor.baseline();
    expect(present).to.deep.equal([
      "condition Node/n1 DiskPressure=True",
      "taint node.kubernetes.io/disk-pressure on node(s) n1",
      `finding NodeDiskPressure in ${NS}`,
    ]);
    d.monitor.countFrom(d.clock.now());
    await d.clock.advance(100);
    d.kube.put(pressured({ disk: "full" })); // the first change after the fault: only the field is new
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => [s.signal.kind, s.at - d.t0])).to.deep.equal([["field", 100]]);
    await d.clock.advance(100);
    d.kube.put(node("n1", { labels: { disk: "full" } })); // pressure gone
    await d.clock.advance(300);
    d.kube.put(pressured({ disk: "full" })); // and back: +500
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => [s.signal.kind, s.at - d.t0])).to.deep.equal([
      ["condition", 500],
      ["taint", 500],
      ["finding", 500],
      ["field", 100],
    ]);
    expect(d.monitor.detectedAt()! - d.t0).to.equal(500);
  });

  it("a slow evaluation started just before the fault and answered after it neither counts nor blocks the next one", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    const log = memoryLogger();
    const view = new ClusterView(kube, { clock, log });
    const answers: ((present: boolean) => void)[] = [];
    const slow: Detector = {
      describe: () => "slow probe fails",
      kinds: [],
      pollIntervalMs: 1000,
      match: () =>
        new Promise<Signal | undefined>((resolve) =>
          answers.push((present) =>
            resolve(present ? { kind: "probe", text: "refused", simulated: false } : undefined),
          ),
        ),
    };
    const ctx = { view, namespace: NS, runId: "r", clock, log } as unknown as EvalContext;
    const m = new DetectionMonitor([slow], ctx, "all").start();
    answers.shift()!(false);
    const baseline = m.baseline();
    await flushMicrotasks();
    answers.shift()!(false);
    expect(await baseline).to.deep.equal([]);
    await clock.advance(1000); // a poll starts before the fault...
    expect(answers).to.have.length(1);
    const from = clock.now() + 5;
    m.countFrom(from);
    await clock.advance(500);
    answers.shift()!(true); // ...and sees the fault's effect after it started
    await flushMicrotasks();
    expect(m.sightings(), "an evaluation started before the fault").to.deep.equal([]);
    expect(answers, "asked again at once").to.have.length(1);
    await clock.advance(200);
    answers.shift()!(true);
    await flushMicrotasks();
    expect(m.sightings().map((s) => s.at - from)).to.deep.equal([695]);
    m.stop();
  });

  it("ignores an Event whose own time is older than the fault start (minus 1s), even if modified after it", async () => {
    const d = await detecting(
      [
        spec("event", { reason: "Evicted", involvedKind: "Pod" }),
        spec("event", { reason: "Preempted", involvedKind: "Pod" }),
      ],
      "all",
    );
    const at = (ms: number) => new Date(d.t0 + ms).toISOString();
    const evicted = (times: Record<string, unknown>) =>
      ({
        ...event("ev1", NS, { kind: "Pod", name: "p" }, "Evicted", "The node was low on resource: memory."),
        ...times,
      }) as KObject;
    const preempted = (times: Record<string, unknown>) =>
      ({
        ...event("ev2", NS, { kind: "Pod", name: "q" }, "Preempted", "Preempted by a higher priority pod"),
        ...times,
      }) as KObject;
    d.monitor.countFrom(d.t0 + 600_000);
    await d.clock.advance(600_000); // the fault starts 10 minutes in
    d.kube.put(evicted({ firstTimestamp: at(0), lastTimestamp: at(0) })); // an old Event, modified (e.g. an annotation) after the fault
    d.kube.put(preempted({ eventTime: at(598_000).replace("Z", "000Z") })); // 2s before the fault: not this fault's
    await d.clock.advance(100);
    d.kube.put(preempted({ eventTime: at(599_500).replace("Z", "000Z") })); // within the 1s tolerance (clock skew, whole seconds)
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => [s.signal.text, s.at - d.t0])).to.deep.equal([
      ["Warning Preempted on Pod/q: Preempted by a higher priority pod", 600_100],
    ]);
    await d.clock.advance(100);
    d.kube.put(
      evicted({
        firstTimestamp: at(0),
        lastTimestamp: at(0),
        series: { count: 2, lastObservedTime: at(600_150).replace("Z", "000Z") },
      }),
    ); // it happened again
    await flushMicrotasks();
    expect(d.monitor.sightings().map((s) => s.at - d.t0)).to.deep.equal([600_200, 600_100]);
  });
});
