import type { Argv } from "yargs";
import type { Logger } from "../util/log.ts";

/** What a command may touch of the outside world (tests pass their own). */
export interface CliIO {
  /** Standard output: results (paths, JSON, reports). */
  out(text: string): void;
  /** Progress and diagnostics go to the logger (standard error). */
  log: Logger;
  /** Aborted on SIGINT/SIGTERM; long work must stop and clean up. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One sub-command: its options and what it does. Its name and description are in
 * src/cli/commands/index.ts, which loads the module only when the command runs. `run` returns the exit status; only src/cli/main.ts calls
 * process.exit. Every status, returned or for a thrown error, comes from src/cli/exit.ts.
 */
export interface CliCommand<A = Record<string, unknown>> {
  builder: (yargs: Argv) => Argv<A>;
  run(args: A, io: CliIO): Promise<number>;
  /**
   * The status `run` returns already accounts for an interrupt (`kubedrill run`: it is the
   * status of the report it wrote). Otherwise main.ts answers 130 for any command that
   * returns after io.signal was aborted.
   */
  statusCoversInterrupt?: boolean;
}
