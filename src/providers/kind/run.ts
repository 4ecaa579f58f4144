import { execa } from "execa";
import { access, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { delimiter, join } from "node:path";
import { redact } from "../../util/redact.ts";

/** What one external command did. `exitCode` is -1 when it could not be started at all. */
export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  canceled: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  input?: string;
}

/**
 * Runs an external program (kind, docker, kubectl) and never throws for a non-zero
 * exit: callers decide what a failure means. Injected so providers can be tested.
 */
export type Runner = (file: string, args: string[], opts?: RunOptions) => Promise<RunResult>;

/**
 * The real runner, through execa. `env` is the whole environment of the child (no
 * merge with process.env), so PATH decides which `kind`/`docker` runs — tests put
 * fake executables first.
 */
export function execaRunner(env: NodeJS.ProcessEnv = process.env): Runner {
  return async (file, args, opts = {}) => {
    const result = await execa(file, args, {
      env,
      extendEnv: false,
      reject: false,
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      input: opts.input,
      stdin: opts.input === undefined ? "ignore" : undefined,
    });
    const startFailed = result.exitCode === undefined && !result.timedOut && !result.isCanceled;
    return {
      command: [file, ...args].join(" "),
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout ?? ""),
      stderr: startFailed ? (result.shortMessage ?? "") : String(result.stderr ?? ""),
      timedOut: result.timedOut,
      canceled: result.isCanceled,
    };
  };
}

/** The absolute path of an executable found on `env.PATH`, or undefined. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      const info = await stat(candidate);
      if (!info.isFile()) continue;
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The last few non-empty lines of a command's output, for error messages. */
export function tail(text: string, lines = 5): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-lines)
    .join("\n");
}

/** How a command failed, credentials removed: `kind create cluster ... failed (exit 1): <stderr tail>`. */
export function describeFailure(r: RunResult, timeoutMs?: number): string {
  const how = r.timedOut
    ? `did not finish within ${timeoutMs ?? "?"}ms`
    : r.canceled
      ? "was cancelled"
      : r.exitCode === -1
        ? "could not be started"
        : `failed (exit ${r.exitCode})`;
  const detail = tail(r.stderr) || tail(r.stdout);
  return redact(`\`${r.command}\` ${how}${detail ? `: ${detail}` : ""}`);
}
