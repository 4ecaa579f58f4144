import { expect } from "chai";
import { awaitApiServer } from "../../src/engine/await-api.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { until } from "../fakes/settle.ts";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });

describe("awaitApiServer (before cleanup)", () => {
  it("returns at once when the API server answers", async () => {
    const clock = new FakeClock();
    expect(await awaitApiServer(new FakeKube(clock), { clock, log: memoryLogger() })).to.equal(true);
    expect(clock.now()).to.equal(new FakeClock().now());
  });

  it("waits, on the clock, while the connection is refused, and goes on once it answers", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.failNext("serverVersion", refused());
    kube.failNext("serverVersion", refused());
    let done: boolean | undefined;
    void awaitApiServer(kube, { clock, log: memoryLogger() }).then((v) => (done = v));
    await until(() => clock.pendingSleeps > 0, "first wait");
    expect(done).to.equal(undefined);
    await clock.advance(1_000);
    await until(() => clock.pendingSleeps > 0, "second wait");
    expect(done).to.equal(undefined);
    await clock.advance(1_000);
    await until(() => done !== undefined, "answer");
    expect(done).to.equal(true);
  });

  it("gives up at the deadline, and at once on an error that is not transient", async () => {
    const clock = new FakeClock();
    const kube = new FakeKube(clock);
    kube.failAlways("serverVersion", refused());
    let done: boolean | undefined;
    void awaitApiServer(kube, { clock, log: memoryLogger(), timeoutMs: 3_000 }).then((v) => (done = v));
    for (let i = 0; i < 3; i++) {
      await until(() => clock.pendingSleeps > 0, `wait ${i}`);
      await clock.advance(1_000);
    }
    await until(() => done !== undefined, "gave up");
    expect(done).to.equal(false);
    const other = new FakeKube(clock);
    other.failAlways("serverVersion", Object.assign(new Error("forbidden"), { statusCode: 403 }));
    expect(await awaitApiServer(other, { clock, log: memoryLogger() })).to.equal(false);
  });
});
