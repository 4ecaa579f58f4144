import { expect } from "chai";
import { DetectionMonitor } from "../../src/engine/detection.ts";
import { ClusterView } from "../../src/engine/view.ts";
import { instantiate } from "../../src/pipeline/instantiate.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import type { EvalContext } from "../../src/sdk/types.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { processResult } from "../fakes/process.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { until } from "../fakes/settle.ts";

describe("prometheus signal in the detection engine", () => {
  it("in the engine: polled every interval, and an alert firing before the fault counts only once it has cleared", async () => {
    const clock = new FakeClock();
    const log = memoryLogger();
    let firing = true;
    const asked: number[] = [];
    // An in-memory /api/v1/alerts (no I/O), so that the fake clock alone decides when it is asked.
    const fetch: EvalContext["fetch"] = async (url) => {
      asked.push(clock.now());
      expect(url).to.equal("http://prom:9090/api/v1/alerts");
      const alerts = firing ? [{ labels: { alertname: "CheckoutErrors" }, state: "firing", value: "1e+00" }] : [];
      return { status: 200, text: async () => JSON.stringify({ status: "success", data: { alerts } }) };
    };
    const built = instantiate(
      scenario("x", {
        detect: { mode: "all", signals: [spec("prometheus", { url: "http://prom:9090", alert: "CheckoutErrors" })] },
      }),
      { namespace: "kd-x-1", runId: "r", registries: defaultRegistries(), sources: new SourceFiles() },
    );
    const kube = new FakeKube(clock);
    const ctx = {
      view: new ClusterView(kube, { clock, log }),
      namespace: "kd-x-1",
      runId: "r",
      clock,
      log,
      exec: async () => processResult(),
      fetch,
      cwd: "/",
      env: {},
    } as EvalContext;
    const monitor = new DetectionMonitor(built.signals, ctx, "all").start();
    const t0 = clock.now();
    expect(await monitor.baseline()).to.deep.equal(["prometheus alert CheckoutErrors at http://prom:9090 fires"]);
    monitor.countFrom(t0);
    await clock.advance(2000);
    await until(() => asked.includes(t0 + 2000), "the poll at 2s");
    expect(monitor.sightings()).to.deep.equal([]); // still the pre-fault alert
    firing = false;
    await clock.advance(2000);
    await until(() => asked.includes(t0 + 4000), "the poll at 4s");
    firing = true;
    await clock.advance(1999);
    expect(monitor.sightings()).to.deep.equal([]); // no poll between intervals
    await clock.advance(1);
    await until(() => monitor.sightings().length === 1, "the sighting at the 6s poll");
    expect(monitor.detectedAt()! - t0).to.equal(6000);
    expect(monitor.sightings()[0]!.signal.text).to.equal(
      'alert CheckoutErrors firing: {alertname="CheckoutErrors"}, value 1e+00',
    );
    monitor.stop();
  });
});
