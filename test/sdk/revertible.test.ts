import { expect } from "chai";
import { withContext } from "../../src/errors.ts";
import { allOrNothing, handle } from "../../src/sdk/handle.ts";
import { ApiError } from "../../src/k8s/rest.ts";
import { isTransient, REVERT_RETRY, RevertGaveUpError, revertible } from "../../src/sdk/revertible.ts";
import { FakeClock, flushMicrotasks } from "../../src/util/clock.ts";
import { AsyncStack } from "../../src/util/disposable.ts";

const unavailable = () => new ApiError("DELETE Pod kd-x/filler: ServiceUnavailable (503)", 503, "ServiceUnavailable");
const notFound = () => new ApiError('PATCH Deployment "api" in kd-x: NotFound (404)', 404, "NotFound");
const reset = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

/** An undo that fails with the given errors, in order, then succeeds; counts its calls. */
function flaky(...errors: Error[]) {
  const undo = async () => {
    undo.calls++;
    const e = errors.shift();
    if (e) throw e;
  };
  undo.calls = 0;
  return undo;
}

async function settled(p: Promise<unknown>): Promise<{ done: boolean; error?: unknown }> {
  const state: { done: boolean; error?: unknown } = { done: false };
  p.then(
    () => (state.done = true),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  await flushMicrotasks();
  return state;
}

describe("revertible: the one revert primitive", () => {
  describe("isTransient", () => {
    it("retries 429, 5xx and dropped connections, also under added context; never another 4xx", () => {
      expect(isTransient(new ApiError("x", 429, "TooManyRequests"))).to.equal(true);
      expect(isTransient(unavailable())).to.equal(true);
      expect(isTransient(new ApiError("x", 500, "InternalError"))).to.equal(true);
      expect(isTransient(reset())).to.equal(true);
      expect(isTransient(withContext("deleting the filler", reset()))).to.equal(true);
      expect(isTransient(withContext("reverting", unavailable()))).to.equal(true);
      for (const status of [400, 403, 404, 409, 422])
        expect(isTransient(new ApiError("x", status, "Final")), String(status)).to.equal(false);
      expect(isTransient(new Error("`docker start kd-worker` failed (exit 1)"))).to.equal(false);
      expect(isTransient(new RevertGaveUpError(4, unavailable()))).to.equal(false);
      expect(isTransient(undefined)).to.equal(false);
    });
  });

  it("tries a transient error again after 1s, then 2s, on the clock, and succeeds", async () => {
    const clock = new FakeClock();
    const undo = flaky(unavailable(), reset());
    const retries: [number, number][] = [];
    const r = revertible(undo, { clock, onRetry: (_e, n, ms) => retries.push([n, ms]) });
    const state = await settled(r.revert());
    expect(undo.calls).to.equal(1);
    expect(clock.pendingSleeps).to.equal(1);
    await clock.advance(999);
    expect(undo.calls).to.equal(1, "not before the first delay is over");
    await clock.advance(1);
    expect(undo.calls).to.equal(2);
    await clock.advance(1999);
    expect(undo.calls).to.equal(2);
    expect(state.done).to.equal(false);
    await clock.advance(1);
    expect(undo.calls).to.equal(3);
    expect(state).to.deep.equal({ done: true });
    expect(retries).to.deep.equal([
      [1, 1000],
      [2, 2000],
    ]);
  });

  it("gives up after REVERT_RETRY.attempts transient failures; the next call starts again", async () => {
    const clock = new FakeClock();
    const undo = flaky(...Array.from({ length: REVERT_RETRY.attempts }, unavailable));
    const r = revertible(undo, { clock });
    const state = await settled(r.revert());
    await clock.advance(1000 + 2000 + 4000);
    expect(undo.calls).to.equal(REVERT_RETRY.attempts);
    expect(state.error).to.be.instanceOf(RevertGaveUpError);
    expect((state.error as Error).message).to.match(/ServiceUnavailable \(503\) \(gave up after 4 attempts\)$/);
    expect(((state.error as Error).cause as ApiError).statusCode).to.equal(503);
    expect(clock.pendingSleeps).to.equal(0);
    await r.revert();
    expect(undo.calls).to.equal(REVERT_RETRY.attempts + 1, "a later call runs the undo again");
  });

  it("does not retry a 4xx: one attempt, the error as it was, no wait", async () => {
    const clock = new FakeClock();
    const err = notFound();
    const undo = flaky(err);
    const r = revertible(undo, { clock });
    const state = await settled(r.revert());
    expect(state.error).to.equal(err);
    expect(undo.calls).to.equal(1);
    expect(clock.pendingSleeps).to.equal(0);
  });

  it("is idempotent: concurrent calls share one run, and a succeeded revert is never run again", async () => {
    const clock = new FakeClock();
    let release!: () => void;
    let calls = 0;
    const r = revertible(
      () =>
        new Promise<void>((resolve) => {
          calls++;
          release = resolve;
        }),
      { clock },
    );
    const a = r.revert();
    const b = r.revert();
    const c = r[Symbol.asyncDispose]();
    await flushMicrotasks();
    expect(calls).to.equal(1);
    release();
    await Promise.all([a, b, c]);
    await r.revert();
    await r[Symbol.asyncDispose]();
    expect(calls).to.equal(1);
  });

  it("is AsyncDisposable: a cleanup stack reverts it, once, and reports a failure", async () => {
    const clock = new FakeClock();
    const ok = flaky();
    const failing = flaky(notFound());
    const stack = new AsyncStack();
    const first = stack.use("first", revertible(ok, { clock }));
    stack.use("second", revertible(failing, { clock }));
    const failures = await stack.unwind();
    expect(failures.map((f) => f.label)).to.deep.equal(["second"]);
    expect((failures[0]!.error as ApiError).statusCode).to.equal(404);
    await first.revert();
    expect([ok.calls, failing.calls]).to.deep.equal([1, 1]);
  });

  describe("fault handles built on it (src/sdk/handle.ts)", () => {
    it("handle() follows the same rule and keeps `simulated`", async () => {
      const clock = new FakeClock();
      const undo = flaky(unavailable());
      const h = handle(undo, { simulated: true, clock });
      expect(h.simulated).to.equal(true);
      const state = await settled(h.revert());
      await clock.advance(1000);
      expect(state).to.deep.equal({ done: true });
      await h[Symbol.asyncDispose]();
      expect(undo.calls).to.equal(2);
    });

    it("allOrNothing: reverting again repeats only the parts that failed, and never multiplies retries", async () => {
      const clock = new FakeClock();
      const first = flaky();
      const second = flaky(...Array.from({ length: REVERT_RETRY.attempts }, unavailable));
      const h = await allOrNothing(
        [
          { label: "scale api", run: async () => first },
          { label: "taint node", run: async () => second },
        ],
        { warn: () => undefined },
        { clock },
      );
      const state = await settled(h.revert());
      await clock.advance(60_000);
      expect((state.error as Error).message).to.match(/^taint node: .*gave up after 4 attempts/);
      expect(second.calls).to.equal(REVERT_RETRY.attempts, "the enclosing revert does not retry again");
      expect(first.calls).to.equal(1);
      await h.revert();
      expect([first.calls, second.calls]).to.deep.equal([1, REVERT_RETRY.attempts + 1]);
    });
  });
});
