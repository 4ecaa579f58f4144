import { access, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The fake kind/docker/kubectl executables. */
export const FIXTURE_BIN = fileURLToPath(new URL("../fixtures/bin", import.meta.url));

export interface FakeEnv {
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Every recorded invocation, one "tool arg arg" string each. */
  calls(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * An environment whose PATH holds only the fake executables (all of them, or just
 * `tools`, linked into a private folder with `sh`), recording to a fresh log file.
 * The real docker in /usr/local/bin is never on this PATH.
 */
export async function fakeEnv(opts: { tools?: string[]; vars?: Record<string, string> } = {}): Promise<FakeEnv> {
  const dir = await mkdtemp(join(tmpdir(), "kubedrill-test-"));
  const log = join(dir, "calls.log");
  let path = FIXTURE_BIN;
  if (opts.tools) {
    path = join(dir, "bin");
    await mkdir(path);
    await symlink("/bin/sh", join(path, "sh"));
    await symlink(join(FIXTURE_BIN, "_fake-common.sh"), join(path, "_fake-common.sh"));
    for (const t of opts.tools) await symlink(join(FIXTURE_BIN, t), join(path, t));
  }
  return {
    env: { PATH: path, FAKE_BIN_LOG: log, HOME: dir, ...opts.vars },
    dir,
    calls: async () => (await readFile(log, "utf8").catch(() => "")).split("\n").filter((l) => l.length > 0),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Runs `fn`, expecting it to reject; returns the error. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection, but it resolved");
}
