import { Params } from "../sdk/params.ts";
import type { BuildEnv, Probe } from "../sdk/types.ts";
import { argvCheck, commandText, parseCommand, runCommand } from "../steps/command.ts";
import { defineProbe } from "../sdk/plugin.ts";
import { duration, ref } from "../sdk/schema-parts.ts";

/** How often probes that cannot be watched (command, http, data plane) are re-run. */
export const DEFAULT_POLL_INTERVAL_MS = 1000;
/** A probe command that has not exited after this long counts as failed. */
const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

/**
 * command { run, expectExit? (0), timeout? (30s), interval? (1s) } — holds while the command
 * exits as expected. Nothing can be watched for it, so it is re-run every `interval`.
 */
function create(params: Record<string, unknown>, env: BuildEnv): Probe {
  const p = new Params(params, env.loc);
  const c = parseCommand(p, DEFAULT_PROBE_TIMEOUT_MS);
  const interval = p.durationMs("interval", DEFAULT_POLL_INTERVAL_MS);
  return {
    kinds: [],
    pollIntervalMs: interval,
    describe: () => `command ${commandText(c)} exits ${c.expectExit}`,
    async evaluate(ctx) {
      const r = await runCommand(ctx, c);
      return r.error
        ? { ok: false, message: r.error.message, simulated: false }
        : { ok: true, message: `command ${commandText(c)} exited ${c.expectExit}`, simulated: false };
    },
  };
}

export const commandProbe = defineProbe({
  name: "command",
  description: "A local command (argv, no shell) exits with the expected status.",
  params: {
    required: ["run"],
    properties: {
      run: ref("argv"),
      expectExit: ref("exitStatus"),
      timeout: duration("Count the probe as failed after this long."),
    },
  },
  check: argvCheck,
  create,
});
