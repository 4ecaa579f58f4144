import { expect } from "chai";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { Ledger, ledgerFile } from "../../../src/providers/local/nodes/ledger.ts";
import {
  fillNodeDisk,
  freeNodeDisk,
  isMountPoint,
  makeNodeDisk,
  nodeDiskMount,
  removeNodeDisks,
} from "../../../src/providers/local/nodes/disk.ts";

describe("a real node's disk", function () {
  this.timeout(30_000);
  let dir = "";
  let ledger: Ledger;
  before(function () {
    if (process.getuid?.() !== 0 || !existsSync("/dev/loop-control")) {
      console.log("    (needs root and loop devices, as real nodes do: not checked here)");
      this.skip();
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "kd-disk-"));
    ledger = new Ledger(ledgerFile(dir));
  });
  const stops: { stop(): void }[] = [];
  afterEach(async () => {
    stops.splice(0).forEach((w) => w.stop());
    if (ledger) expect(await removeNodeDisks(ledger)).to.deep.equal([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a 1 GiB ext4 of its own that fills to the last block and frees again", async () => {
    await makeNodeDisk(ledger, dir);
    const mnt = nodeDiskMount(dir);
    expect(isMountPoint(mnt)).to.equal(true);
    expect(Ledger.read(dir)!.data.loops).to.have.length(1);
    const before = await fs.statfs(mnt);
    expect(before.blocks * before.bsize).to.be.within(0.9 * 1024 ** 3, 1024 ** 3);
    const writer = await fillNodeDisk(dir, 50);
    stops.push(writer);
    expect((await fs.statfs(mnt)).bavail).to.equal(0);
    // space freed by someone else (the kubelet's garbage collection) is taken again
    await fs.truncate(path.join(mnt, "kubedrill-filler-0"), 0);
    expect((await fs.statfs(mnt)).bavail).to.be.greaterThan(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await fs.statfs(mnt)).bavail).to.equal(0);
    writer.stop();
    const err = await fs.writeFile(path.join(mnt, "one-more"), Buffer.alloc(64 * 1024)).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal("ENOSPC");
    expect(await freeNodeDisk(dir)).to.equal(true);
    expect((await fs.statfs(mnt)).bavail).to.be.greaterThan(before.bavail * 0.9);
    expect(await freeNodeDisk(dir), "nothing left to free").to.equal(false);
  });

  it("is unmounted and its loop device detached by the ledger alone", async () => {
    await makeNodeDisk(ledger, dir);
    const device = ledger.data.loops![0]!.device;
    expect(await removeNodeDisks(Ledger.read(dir)!)).to.deep.equal([]);
    expect(isMountPoint(nodeDiskMount(dir))).to.equal(false);
    const listed = (await execa("losetup", ["--list", "--noheadings", "--output", "NAME"])).stdout;
    expect(listed.split("\n").map((l) => l.trim())).to.not.include(device);
    expect(await removeNodeDisks(Ledger.read(dir)!), "twice is harmless").to.deep.equal([]);
  });
});
