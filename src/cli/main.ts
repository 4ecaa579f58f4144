import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import type { CliIO } from "./command.ts";
import { AbortedError, KubedrillError, UsageError } from "../errors.ts";
import { EXIT, exitCodeFor, exitCodeForStop } from "./exit.ts";
import { createLogger, type LogFormat } from "../util/log.ts";
import { redact } from "../util/redact.ts";
import { COMMANDS, commandName } from "./commands/index.ts";

// `kubedrill ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  let interrupted = 0;
  // CI systems send SIGINT then SIGTERM a few seconds later: a second signal must not
  // abandon the reverts under way. Only a third one exits at once.
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted++;
    if (interrupted === 1) {
      process.stderr.write(`${sig} received: stopping and reverting every fault (this takes a few seconds)\n`);
      controller.abort(new AbortedError(`interrupted by ${sig}`));
    } else if (interrupted === 2) {
      process.stderr.write(`${sig} received again: still reverting faults; a third signal exits without cleaning up\n`);
    } else {
      process.stderr.write(
        `${sig} received a third time: exiting now; faults may be left in place (the next run's start-up sweep removes them)\n`,
      );
      process.exit(EXIT.interrupted);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  watchLauncher(() => onSignal("SIGTERM"));

  const logFormat = (
    argv.includes("--log-format=json") || argv.join(" ").includes("--log-format json") ? "json" : "text"
  ) as LogFormat;
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const log = createLogger({ format: logFormat, verbose, write: (l) => process.stderr.write(redact(l) + "\n") });
  // The last line: a rejection nothing handled is a bug. It stops the run as a signal would
  // (every fault reverted, reports written), with "error" verdicts and exit status 3.
  process.on("unhandledRejection", (reason) => {
    const message =
      reason instanceof Error ? (verbose ? (reason.stack ?? reason.message) : reason.message) : String(reason);
    log.error(`internal error (a bug in kubedrill): ${message}`);
    if (!controller.signal.aborted)
      controller.abort(new KubedrillError(`internal error: ${message}`, { cause: reason }));
  });
  const io: CliIO = {
    out: (t) => process.stdout.write(redact(t) + "\n"),
    log,
    signal: controller.signal,
    env: process.env,
    cwd: process.cwd(),
  };

  let code: number = EXIT.ok;
  let covered = false;
  const y = yargs(hideBin(["node", "kubedrill", ...argv]));
  let parser: Argv = y
    // The terminal's width; none when piped (null), so no line is cut mid-word.
    .wrap(y.terminalWidth())
    .scriptName("kubedrill")
    .strict()
    .demandCommand(1, `name a command: ${COMMANDS.map(commandName).join(", ")}`)
    .option("verbose", { alias: "v", type: "boolean", describe: "debug output" })
    .option("log-format", {
      type: "string",
      choices: ["text", "json"],
      default: "text",
      describe: "text for people, json lines for machines",
    })
    .example([
      ["$0 list", "the scenarios there are"],
      ["$0 run quota-exhaustion --dry-run", "what a drill would do"],
      ["$0 run", "run them on the embedded local cluster"],
    ])
    .completion("completion", "Print a shell completion script (bash, zsh): kubedrill completion >> ~/.bashrc")
    .recommendCommands()
    .help()
    .version()
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  // Only the command being run is loaded (with what it imports): --help and --version stay fast.
  const wanted = argv.find((a) => COMMANDS.some((e) => commandName(e) === a));
  for (const entry of COMMANDS) {
    const c = commandName(entry) === wanted ? await entry.load() : undefined;
    parser = parser.command(
      entry.usage,
      entry.describe,
      (y) => (c ? c.builder(entry.examples ? y.example(entry.examples.map(([a, b]) => [a, b])) : y) : y),
      async (args) => {
        code = await c!.run(args as never, io);
        covered = c!.statusCoversInterrupt === true;
      },
    );
  }
  try {
    await parser.parseAsync();
    return controller.signal.aborted && !covered ? exitCodeForStop(controller.signal.reason) : code;
  } catch (err) {
    const status = controller.signal.aborted ? exitCodeForStop(controller.signal.reason) : exitCodeFor(err);
    const message =
      err instanceof KubedrillError || err instanceof UsageError
        ? err.message
        : err instanceof Error
          ? verbose
            ? (err.stack ?? err.message)
            : err.message
          : String(err);
    log.error(message);
    if (!(err instanceof KubedrillError) && !verbose) log.error("(unexpected error; run with --verbose for the stack)");
    return status;
  }
}

/**
 * `npx kubedrill ...` runs kubedrill under an npm process that exits at once on SIGTERM
 * or SIGINT without passing the signal on, which would leave a run (and its faults)
 * going unseen. When the process that started kubedrill goes away (this process is
 * handed to another parent), kubedrill stops as on SIGTERM: it reverts and cleans up.
 */
function watchLauncher(stop: () => void): void {
  const launcher = process.ppid;
  if (launcher <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    process.stderr.write(`the process that started kubedrill (pid ${launcher}) is gone: `);
    stop();
  }, 500);
  timer.unref();
}

/** Resolves once everything written so far to `stream` has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}

const status = await main(process.argv.slice(2));
// A pipe is written asynchronously: exiting before it drains would cut the output short.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(status);
