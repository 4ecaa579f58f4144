import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { AbortedError } from "../../src/errors.ts";
import type { ResourceType } from "../../src/k8s/types.ts";
import type { KObject, ListOptions } from "../../src/k8s/types.ts";
import { flushMicrotasks } from "../../src/util/clock.ts";
import { FakeKube } from "../fakes/kube.ts";
import { scenario } from "../fakes/scenario.ts";
import { backOffSignal, demoSetup, harness, healthy, setHealthy } from "./harness.ts";

/**
 * A cluster whose lists are slow (they wait `listMs` on the fake clock) and that aborts
 * the run the moment the attempt's namespace is created: the signal lands right after
 * setup starts, while the view is still listing what the scenario watches.
 */
class SlowListKube extends FakeKube {
  onNamespace: () => void = () => undefined;
  listMs = 10;
  override async create(obj: KObject): Promise<KObject> {
    const created = await super.create(obj);
    if (obj.kind === "Namespace") this.onNamespace();
    return created;
  }
  override async list(type: ResourceType, opts: ListOptions = {}) {
    const r = await super.list(type, opts);
    await this.clock.sleep(this.listMs);
    return r;
  }
}

describe("runScenario abort at the start of setup", () => {
  it("a signal while the view is still listing: no unhandled rejection, reported aborted, cleaned up", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    const mochaHandlers = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onUnhandled);
    try {
      const ac = new AbortController();
      const h0 = harness();
      const kube = new SlowListKube(h0.clock);
      kube.onNamespace = () => ac.abort(new AbortedError("interrupted by SIGINT"));
      const h = { ...h0, ctx: { ...h0.ctx, kube, signal: ac.signal } };
      const s = scenario("demo", {
        setup: { steps: [demoSetup()] },
        steadyState: [healthy("yes")],
        fault: [setHealthy("no", "spec.fault[0]")],
        detect: { mode: "all", signals: [backOffSignal()] },
      });
      const run = runScenario(s, h.ctx);
      // Let the slow lists (and the namespace's deletion wait) finish, one clock step at a time.
      for (let i = 0; i < 50 && kube.clock.now() - h.t0 < 10_000; i++) {
        await (h.clock as typeof h0.clock).advance(10);
      }
      const r = await run;
      await flushMicrotasks(50);
      expect(unhandled.map((e) => (e as Error).message)).to.deep.equal([]);
      expect(r.status).to.equal("aborted");
      expect(r.reasons[0]).to.equal("aborted during setup");
      expect(r.cleanup.ok).to.equal(true);
      expect(kube.objects("Namespace")).to.have.length(0);
      expect(kube.liveWatches()).to.have.length(0);
    } finally {
      process.removeListener("unhandledRejection", onUnhandled);
      for (const l of mochaHandlers) process.on("unhandledRejection", l);
    }
  });
});
