import { execa } from "execa";

/** Runs an external program; injected so that tests fake it. */
export interface ProcessResult {
  /** Undefined when the program could not start or was killed. */
  exitCode: number | undefined;
  /** stdout and stderr interleaved. */
  output: string;
  timedOut: boolean;
  /** execa's one-line summary when it did not run to an exit code. */
  message?: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type ProcessRunner = (argv: string[], opts: ProcessOptions) => Promise<ProcessResult>;

/** The real runner: execa 9, argv array (no shell), never rejects on a non-zero exit. */
export const execaRunner: ProcessRunner = async (argv, opts) => {
  const [file, ...args] = argv;
  if (!file) return { exitCode: undefined, output: "", timedOut: false, message: "empty command" };
  const result = await execa(file, args, {
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    reject: false,
    all: true,
    stdin: "ignore",
    stripFinalNewline: true,
  });
  const message = result.exitCode === undefined ? result.shortMessage : undefined;
  return {
    exitCode: result.exitCode,
    output: result.all ?? "",
    timedOut: result.timedOut,
    ...(message ? { message } : {}),
  };
};

/** The last `lines` lines of output, for error messages. */
export function tail(output: string, lines = 20): string {
  const all = output.trimEnd().split("\n");
  const shown = all.slice(-lines).join("\n");
  return all.length > lines ? `...(${all.length - lines} earlier lines)\n${shown}` : shown;
}
