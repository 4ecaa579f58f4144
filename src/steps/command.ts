import { KubedrillError, TimeoutError } from "../errors.ts";
import { tail } from "../util/process.ts";
import { Params } from "../sdk/params.ts";
import type { BuildEnv, EvalContext, Step } from "../sdk/types.ts";
import { nothingToRevert } from "../sdk/handle.ts";
import { defineStep, type ParamPath, type ParamsCheck } from "../sdk/plugin.ts";
import { duration, ref } from "../sdk/schema-parts.ts";

interface CommandSpec {
  run: string[];
  /** Undefined: no limit. */
  timeoutMs: number | undefined;
  env: Record<string, string>;
  expectExit: number;
}

export function parseCommand(p: Params, defaultTimeoutMs?: number): CommandSpec {
  const env: Record<string, string> = {};
  if (p.has("env")) for (const [k, v] of Object.entries(p.obj("env"))) env[k] = String(v);
  const timeoutMs = p.has("timeout") || p.has("timeoutMs") ? p.durationMs("timeout", 0) : defaultTimeoutMs;
  return { run: p.strArray("run"), timeoutMs, env, expectExit: p.optNum("expectExit", 0) ?? 0 };
}

/**
 * A command step's `env` may not set KUBECONFIG: every command gets the kubeconfig of the
 * cluster the run was allowed to use (on a game day, a private copy holding only the allowed
 * context), and another file would reach clusters nobody allowed.
 */
export function checkCommandParams(
  params: Record<string, unknown>,
  report: (path: ParamPath, message: string) => void,
) {
  const env = params.env;
  if (!env || typeof env !== "object" || Array.isArray(env)) return;
  if (Object.hasOwn(env, "KUBECONFIG"))
    report(
      ["env", "KUBECONFIG"],
      "must not be set: kubedrill gives every command the kubeconfig of the cluster the run was allowed to use; remove it",
    );
}

/** `--context`, `--kubeconfig`, `--server` (or their `=` forms) in a command line: on a game day they may point it elsewhere. */
export function contextArgs(run: readonly unknown[]): string[] {
  return run.filter((a): a is string => typeof a === "string" && /^--(context|kubeconfig|server)(=|$)/.test(a));
}

/**
 * The rule for `run` shared by the command step and probe: run[0] is a program, never
 * empty, never a whole shell line (`"kubectl get pods"`): kubedrill runs no shell.
 */
export const argvCheck: ParamsCheck = (params, report) => {
  const run = params.run;
  if (!Array.isArray(run) || typeof run[0] !== "string") return;
  const program = run[0];
  if (program.trim() === "") report(["run", 0], "must name a program (got an empty string)");
  else if (/\s/.test(program)) {
    const words = [...program.trim().split(/\s+/), ...run.slice(1).map(String)];
    const shown = words.map((w) => (/^[\w./:=@%+-]+$/.test(w) ? w : JSON.stringify(w))).join(", ");
    report(
      ["run", 0],
      `is a whole command line (${JSON.stringify(program)}), but run is an argv list run without a shell: write run: [${shown}]`,
    );
  }
};

export const commandText = (c: CommandSpec) => c.run.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");

/** Runs the command (no shell) in the scenario's folder; resolves to an error text or undefined. */
export async function runCommand(
  ctx: EvalContext,
  c: CommandSpec,
): Promise<{ error?: KubedrillError; output: string; elapsedMs: number }> {
  const start = ctx.clock.now();
  const r = await ctx.exec(c.run, {
    cwd: ctx.cwd,
    // The run's KUBECONFIG (the pinned copy of the allowed context) always wins over the step's env.
    env: { ...ctx.env, ...c.env, ...(ctx.env.KUBECONFIG ? { KUBECONFIG: ctx.env.KUBECONFIG } : {}) },
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const elapsedMs = ctx.clock.now() - start;
  const shown = r.output.trim() ? `\n${tail(r.output)}` : "";
  if (r.timedOut) {
    const limit = c.timeoutMs ?? 0;
    return {
      error: new TimeoutError(
        `command ${commandText(c)} timed out after ${elapsedMs}ms (limit ${limit}ms)${shown}`,
        elapsedMs,
        limit,
      ),
      output: r.output,
      elapsedMs,
    };
  }
  if (r.exitCode !== c.expectExit) {
    const how =
      r.exitCode === undefined ? (r.message ?? "did not run") : `exited with ${r.exitCode} (expected ${c.expectExit})`;
    return { error: new KubedrillError(`command ${commandText(c)} ${how}${shown}`), output: r.output, elapsedMs };
  }
  return { output: r.output, elapsedMs };
}

/**
 * command { run: [argv...], timeout? (no limit), env?, expectExit? (0) } — runs a program in
 * the scenario's folder with KUBECONFIG, KUBEDRILL_NAMESPACE and KUBEDRILL_RUN_ID set
 * (`env` may add variables, but not KUBECONFIG).
 * A different exit status or a timeout fails the step, showing the output's tail.
 * Nothing to revert (a command that changes things should be paired with one that
 * undoes them in remediate).
 */
function create(params: Record<string, unknown>, env: BuildEnv): Step {
  const c = parseCommand(new Params(params, env.loc));
  return {
    describe: () =>
      `run ${commandText(c)} (expect exit ${c.expectExit}${c.timeoutMs ? `, timeout ${c.timeoutMs}ms` : ""})`,
    async inject(ctx) {
      const r = await runCommand(ctx, c);
      if (r.error) throw r.error;
      ctx.log.debug(`command ${commandText(c)} finished in ${r.elapsedMs}ms`);
      return nothingToRevert();
    },
  };
}

export const commandStep = defineStep({
  name: "command",
  description: "Run a local command (no shell): argv list.",
  scope: "none",
  params: {
    required: ["run"],
    properties: {
      run: ref("argv"),
      timeout: duration("Kill the command after this long (default: no limit)."),
      env: { type: "object", description: "Extra environment variables.", additionalProperties: { type: "string" } },
      expectExit: ref("exitStatus"),
    },
  },
  check: (params, report) => {
    checkCommandParams(params, report);
    argvCheck(params, report);
  },
  create,
});
