/** Writing report files so a reader never sees half of one. */
import { randomBytes } from "node:crypto";
import { open, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { KubedrillError } from "../errors.ts";

/**
 * Writes `text` to `file` atomically: to a temporary name in the same directory, flushed
 * to disk, then renamed over the target. On failure the temporary file is removed and a
 * KubedrillError naming the file is thrown.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new KubedrillError(`cannot write report ${file}: ${reason}`, { cause: err });
  }
}

/**
 * Points `link` at `target` (a relative path), replacing an existing symlink atomically.
 * Returns false instead of throwing when it cannot (e.g. `link` is a real directory, or
 * the file system has no symlinks).
 */
export async function replaceSymlink(target: string, link: string): Promise<boolean> {
  const tmp = `${link}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await symlink(target, tmp);
    await rename(tmp, link);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
