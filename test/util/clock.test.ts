import { expect } from "chai";
import { systemClock } from "../../src/util/clock.ts";
import { MAX_TIMER_MS } from "../../src/util/duration.ts";

/** Runs `work` with setTimeout replaced by one that records each delay and fires at once. */
async function recordingTimers(work: () => Promise<void>): Promise<number[]> {
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    return real(fn, 0);
  }) as typeof setTimeout;
  try {
    await work();
  } finally {
    globalThis.setTimeout = real;
  }
  return delays;
}

describe("systemClock.sleep", () => {
  it("never hands a timer more than 2^31-1 ms: a longer sleep is slept in parts", async () => {
    const delays = await recordingTimers(() => systemClock.sleep(2 * MAX_TIMER_MS + 5));
    expect(delays).to.deep.equal([MAX_TIMER_MS, MAX_TIMER_MS, 5]);
  });

  it("a short sleep is one timer", async () => {
    expect(await recordingTimers(() => systemClock.sleep(25))).to.deep.equal([25]);
  });

  it("an abort during a long sleep rejects with the signal's reason", async () => {
    const ac = new AbortController();
    const sleeping = systemClock.sleep(3 * MAX_TIMER_MS, ac.signal);
    ac.abort(new Error("stop"));
    await sleeping.then(
      () => expect.fail("should reject"),
      (err: Error) => expect(err.message).to.equal("stop"),
    );
  });
});
