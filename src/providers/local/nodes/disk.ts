import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ClusterError } from "../../../errors.ts";
import { run } from "./exec.ts";
import type { Ledger } from "./ledger.ts";

/**
 * Each real node's /var/lib (kubelet, containerd's images and snapshots, CNI state) is a
 * small ext4 file system of its own on a loop device, so a full node disk is real: the
 * kubelet's eviction manager reports DiskPressure, image pulls fail with "no space left on
 * device", and pods are evicted. The image file is sparse: it takes host disk only as it
 * fills (a filled disk takes its size).
 */
export const NODE_DISK_BYTES = 1024 ** 3;
export const FILLER = "kubedrill-filler";

/** Where a node's disk is mounted on the host (the node sees it as /var/lib). */
export const nodeDiskMount = (nodeDir: string) => path.join(nodeDir, "var-lib");

let queue: Promise<unknown> = Promise.resolve();

/** Makes, attaches and mounts the node's disk; each step is in the ledger before the next. */
export async function makeNodeDisk(ledger: Ledger, nodeDir: string): Promise<void> {
  const image = path.join(nodeDir, "disk.img");
  const mountPoint = nodeDiskMount(nodeDir);
  await fs.mkdir(mountPoint, { recursive: true });
  await fs.writeFile(image, "");
  await fs.truncate(image, NODE_DISK_BYTES);
  // no blocks reserved for root: the kubelet and containerd run as root and must see the disk fill
  await run("mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1", image]);
  // one attach at a time in this process; losetup retries itself when another process wins a device
  const attach = queue.then(() => run("losetup", ["--find", "--show", image]));
  queue = attach.catch(() => undefined);
  const device = (await attach).trim();
  if (!/^\/dev\/loop\d+$/.test(device)) throw new ClusterError(`losetup gave "${device}" for ${image}`);
  ledger.add("loops", { device, file: image });
  ledger.add("mounts", mountPoint);
  await run("mount", ["-t", "ext4", device, mountPoint]);
}

export function isMountPoint(dir: string): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .some((l) => l.split(" ")[4] === dir);
}

/** The file a loop device is attached to, if any. */
function backingFile(device: string): string | undefined {
  const f = `/sys/block/${path.basename(device)}/loop/backing_file`;
  return existsSync(f) ? readFileSync(f, "utf8").trim() : undefined;
}

/** Unmounts and detaches what the ledger lists (only a device still attached to our file). */
export async function removeNodeDisks(ledger: Ledger): Promise<string[]> {
  const failed: string[] = [];
  for (const m of [...(ledger.data.mounts ?? [])].reverse()) {
    if (!isMountPoint(m)) continue;
    await run("umount", [m]).catch((e) => failed.push(String(e)));
  }
  for (const l of [...(ledger.data.loops ?? [])].reverse()) {
    if (backingFile(l.device) !== l.file) continue;
    await run("losetup", ["-d", l.device]).catch((e) => failed.push(String(e)));
  }
  return failed;
}

/**
 * Fills a node's disk to the last block with files of our own, and keeps it full, as a
 * runaway writer does: the kubelet's garbage collection frees space under pressure (unused
 * images, dead containers), which the writer takes again within `topUpMs`. `stop()` stops
 * the writer; freeNodeDisk removes what it wrote.
 */
export async function fillNodeDisk(nodeDir: string, topUpMs = 500): Promise<{ stop(): void }> {
  const mountPoint = nodeDiskMount(nodeDir);
  if (!isMountPoint(mountPoint)) throw new ClusterError(`${mountPoint} is not a node disk (the node has none)`);
  let round = 0;
  await topUp(mountPoint, round++);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void topUp(mountPoint, round++)
      .catch(() => undefined) // the node may be going away; the next round tries again
      .finally(() => (busy = false));
  }, topUpMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Takes every free block into a file of its own: one fallocate for all but the last 256 KiB
 * (no data written), then writes for the rest until ENOSPC.
 */
async function topUp(mountPoint: string, round: number): Promise<void> {
  const st = await fs.statfs(mountPoint);
  const free = st.bavail * st.bsize;
  if (free === 0) return;
  const file = path.join(mountPoint, `${FILLER}-${round}`);
  if (free > 1024 * 1024) await run("fallocate", ["-l", String(free - 256 * 1024), file]);
  const fh = await fs.open(`${file}-rest`, "a");
  try {
    for (const size of [64 * 1024, 4096]) {
      const block = Buffer.alloc(size);
      try {
        for (;;) await fh.write(block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
      }
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Removes what fillNodeDisk wrote (also a filler a crashed run left); true when there was one. */
export async function freeNodeDisk(nodeDir: string): Promise<boolean> {
  const mountPoint = nodeDiskMount(nodeDir);
  if (!existsSync(mountPoint)) return false;
  const ours = (await fs.readdir(mountPoint)).filter((f) => f.startsWith(`${FILLER}-`));
  for (const f of ours) await fs.rm(path.join(mountPoint, f), { force: true });
  return ours.length > 0;
}
