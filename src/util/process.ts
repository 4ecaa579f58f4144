import { access, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { delimiter, join } from "node:path";
import { redact } from "./redact.ts";

/**
 * What one external program did. The one convention: `exitCode` is the program's exit
 * status, or undefined when it did not run to an exit (it could not be started, timed
 * out, was cancelled or was killed by a signal); `message` then says why.
 */
export interface ProcessResult {
  /** The command line, for messages. */
  command: string;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they were written. */
  output: string;
  timedOut: boolean;
  canceled: boolean;
  /** execa's one-line summary when the program did not run to an exit code. */
  message?: string;
}

interface ProcessOptions {
  cwd?: string;
  /** Added to (and overriding) the runner's environment. */
  env?: Record<string, string | undefined>;
  /** Undefined or 0: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to stdin; without it stdin is closed. */
  input?: string;
}

/**
 * Runs an external program (`[file, ...args]`, no shell) and never throws for a non-zero
 * exit: callers decide what a failure means. Injected everywhere so tests can fake it.
 */
export type ProcessRunner = (argv: readonly string[], opts?: ProcessOptions) => Promise<ProcessResult>;

/**
 * The real runner, through execa 9. `baseEnv` is the child's whole environment (read at
 * each call, so a caller may change the object) plus the call's `env`: PATH decides which
 * `kind`/`docker`/`kubectl` runs, and tests put fake executables first.
 */
export function processRunner(baseEnv: NodeJS.ProcessEnv = process.env): ProcessRunner {
  return async (argv, opts = {}) => {
    const [file, ...args] = argv;
    const command = argv.join(" ");
    if (!file) return failedToStart(command, "empty command");
    // loaded on first use: commands that never start a process (validate, schema, list) skip its ~120 files
    const { execa } = await import("execa");
    const result = await execa(file, args, {
      env: { ...baseEnv, ...opts.env },
      extendEnv: false,
      reject: false,
      all: true,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
      ...(opts.input === undefined ? { stdin: "ignore" as const } : { input: opts.input }),
    });
    const message = result.exitCode === undefined ? result.shortMessage : undefined;
    return {
      command,
      exitCode: result.exitCode,
      stdout: String(result.stdout ?? ""),
      stderr: String(result.stderr ?? ""),
      output: String(result.all ?? ""),
      timedOut: result.timedOut,
      canceled: result.isCanceled,
      ...(message ? { message } : {}),
    };
  };
}

/** The runner over this process's environment. */
export const runProcess: ProcessRunner = processRunner();

function failedToStart(command: string, message: string): ProcessResult {
  return {
    command,
    exitCode: undefined,
    stdout: "",
    stderr: "",
    output: "",
    timedOut: false,
    canceled: false,
    message,
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

/** The last `lines` non-empty lines of a program's output, saying how many came before. */
export function tail(text: string, lines = 20): string {
  const all = text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
  const shown = all.slice(-lines).join("\n");
  return all.length > lines ? `...(${all.length - lines} earlier lines)\n${shown}` : shown;
}

/** How a program failed, credentials removed: `kind create cluster ... failed (exit 1): <stderr tail>`. */
export function describeFailure(r: ProcessResult, timeoutMs?: number): string {
  const how = r.timedOut
    ? `did not finish within ${timeoutMs ?? "?"}ms`
    : r.canceled
      ? "was cancelled"
      : r.exitCode === undefined
        ? `did not run${r.message ? ` (${r.message})` : ""}`
        : `failed (exit ${r.exitCode})`;
  const detail = tail(r.stderr, 5) || tail(r.stdout, 5);
  return redact(`\`${r.command}\` ${how}${detail ? `: ${detail}` : ""}`);
}
