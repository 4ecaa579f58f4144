import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../util/log.ts";
import { isAlive } from "./processes.ts";

export interface DirLock {
  release(): Promise<void>;
}

/**
 * A lock shared between processes: a directory created atomically, holding the owner's
 * pid. A lock whose owner died is taken over. Returns undefined when, while waiting,
 * `done()` became true (someone else did the work).
 */
export async function acquireDirLock(
  lockDir: string,
  opts: { log: Logger; what: string; done: () => boolean; signal?: AbortSignal; pollMs?: number },
): Promise<DirLock | undefined> {
  let announced = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, "pid"), String(process.pid));
      return { release: () => fs.rm(lockDir, { recursive: true, force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = Number(await fs.readFile(path.join(lockDir, "pid"), "utf8").catch(() => "0"));
    if (owner && !isAlive(owner)) {
      opts.log.warn(`taking over the lock of ${opts.what} from pid ${owner}, which is no longer running`);
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (opts.done()) return undefined;
    if (!announced) {
      opts.log.info(`waiting for another kubedrill (pid ${owner || "?"}) that is already working on ${opts.what}`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    if (opts.done()) return undefined;
  }
}

/** Removes a lock left by a process that died holding it (a killed `cluster up`); a live owner's lock stays. */
export async function removeStaleLock(lockDir: string): Promise<void> {
  const owner = Number(await fs.readFile(path.join(lockDir, "pid"), "utf8").catch(() => "0"));
  if (owner && isAlive(owner)) return;
  await fs.rm(lockDir, { recursive: true, force: true });
}
