import { execa, type ResultPromise } from "execa";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/kubedrill.js", import.meta.url));

/** Runs the kubedrill CLI as a user would; never throws on a non-zero exit. */
export function kubedrill(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): ResultPromise<{ reject: false; all: true; cwd: string; timeout: number; env: NodeJS.ProcessEnv }> {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    all: true,
    cwd: REPO,
    timeout: opts.timeoutMs ?? 15 * 60_000,
    env: { ...process.env, ...opts.env },
  });
}
