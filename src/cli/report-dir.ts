import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.ts";

/**
 * Makes sure the reports can be written to `dir` before any cluster work: creates it (and
 * its parents), writes a probe file and removes it. Throws a UsageError (exit status 2)
 * naming the folder and the system's reason, so that an unwritable `--report-dir` is found
 * before the first fault rather than after the whole run.
 */
export async function assertReportDirWritable(dir: string): Promise<void> {
  const probe = join(dir, `.kubedrill-write-check-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`--report-dir ${dir} is not writable (${code}); choose a folder you can write to`, {
      cause: err,
    });
  }
  await rm(probe, { force: true });
}
