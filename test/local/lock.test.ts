import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { acquireDirLock, removeStaleLock } from "../../src/providers/local/lock.ts";
import { memoryLogger } from "../../src/util/log.ts";

describe("local provider: cross-process lock", () => {
  let tmp: string;
  beforeEach(async () => (tmp = await fs.mkdtemp(path.join(os.tmpdir(), "kd-lock-"))));
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  it("makes a second taker wait until the first releases", async () => {
    const dir = path.join(tmp, "x.lock");
    const first = await acquireDirLock(dir, { log: memoryLogger(), what: "x", done: () => false });
    let secondGot = false;
    let polls = 0;
    let parked: () => void;
    const polledThrice = new Promise<void>((r) => (parked = r));
    const done = () => {
      if (++polls === 3) parked();
      return false;
    };
    const second = acquireDirLock(dir, { log: memoryLogger(), what: "x", done, pollMs: 5 }).then(
      (l) => ((secondGot = true), l),
    );
    await polledThrice; // it has looked at the lock three times, and found it held each time
    expect(secondGot).to.equal(false);
    await first!.release();
    const l2 = await second;
    expect(l2).to.not.equal(undefined);
    await l2!.release();
  });

  it("takes over a lock whose owner is dead, and says so", async () => {
    const dir = path.join(tmp, "y.lock");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "pid"), "999999999");
    const log = memoryLogger();
    const lock = await acquireDirLock(dir, { log, what: "y", done: () => false });
    expect(lock).to.not.equal(undefined);
    expect(log.lines.some((l) => l.level === "warn" && l.message.includes("999999999"))).to.equal(true);
    expect(await fs.readFile(path.join(dir, "pid"), "utf8")).to.equal(String(process.pid));
    await lock!.release();
  });

  it("returns undefined when the work got done while waiting", async () => {
    const dir = path.join(tmp, "z.lock");
    const first = await acquireDirLock(dir, { log: memoryLogger(), what: "z", done: () => false });
    let polls = 0;
    const doneOnThirdLook = () => ++polls >= 3; // the other process finishes while we wait
    expect(await acquireDirLock(dir, { log: memoryLogger(), what: "z", done: doneOnThirdLook, pollMs: 5 })).to.equal(
      undefined,
    );
    expect(polls).to.equal(3);
    await first!.release();
  });

  it("removeStaleLock removes a lock whose owner is gone and keeps a live owner's", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kd-stale-lock-"));
    try {
      const dead = path.join(dir, "dead.lock");
      await fs.mkdir(dead);
      await fs.writeFile(path.join(dead, "pid"), "2147483646");
      const live = path.join(dir, "live.lock");
      await fs.mkdir(live);
      await fs.writeFile(path.join(live, "pid"), String(process.pid));
      await removeStaleLock(dead);
      await removeStaleLock(live);
      expect((await fs.readdir(dir)).sort()).to.deep.equal(["live.lock"]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
