import type { Argv } from "yargs";
import { ClusterError, SafetyError, UsageError, ValidationError, withContext } from "../../errors.ts";
import { createKube } from "../../k8s/client.ts";
import type { Kube } from "../../k8s/kube.ts";
import { checkScenarios } from "../../pipeline/check.ts";
import { formatPreflight, preflightScenario, type ContextVerdict } from "../../preflight/check.ts";
import { scenarioNeeds } from "../../preflight/needs.ts";
import { assertContextAllowed, describeAllowance } from "../../providers/context-guard.ts";
import { isGameDay } from "../../providers/index.ts";
import { localState } from "../../providers/local/launcher.ts";
import { resolveKubeconfig } from "../../providers/shared/resolve-kubeconfig.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { exitCodeForCheck } from "../exit.ts";
import { runOptions, type RunArgs } from "./run-options.ts";
import { scenarioSelection } from "./run-select.ts";

export interface PreflightArgs extends RunArgs {
  output?: "text" | "json";
}

/** What preflight uses from other modules; injected so that it is testable without a cluster. */
export interface PreflightDeps {
  check: typeof checkScenarios;
  createKube(kubeconfigPath: string, opts?: { context?: string }): Kube;
  /** The kubeconfig of a running local cluster of that name, or undefined. */
  localKubeconfig(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined>;
  resolveKubeconfig: typeof resolveKubeconfig;
}

/**
 * `kubedrill preflight [paths..]` (and `run --preflight`): connects read-only to the cluster
 * the run would use (a game day's context, or the running local cluster) and checks per
 * scenario: the context guard, permissions (SelfSubjectAccessReview), kinds (discovery),
 * selections outside the scenario's namespace, and `requires.nodes`. Changes nothing.
 * Exit (src/cli/exit.ts): 0 every scenario passes, 1 a check failed, 2 usage or invalid
 * scenario, 4 no cluster to check (none running, or the API server does not answer).
 */
export function createPreflightCommand(deps: PreflightDeps): CliCommand<PreflightArgs> {
  return {
    builder: (y: Argv) =>
      runOptions(y).option("output", {
        alias: "o",
        choices: ["text", "json"] as const,
        default: "text" as const,
        describe: "Output format",
      }) as unknown as Argv<PreflightArgs>,
    run: (args, io) => runPreflight(args, io, deps),
  };
}

/** `deps` given replace the real ones (`run --preflight` passes its own pipeline and client). */
export async function runPreflight(
  args: PreflightArgs,
  io: CliIO,
  given: Partial<PreflightDeps> = {},
): Promise<number> {
  const deps: PreflightDeps = { ...realDeps, ...given };
  const { paths, only } = await scenarioSelection(args, io.cwd);
  const variables = { ...(args.set ? { set: args.set } : {}), ...(args.values ? { values: args.values } : {}) };
  const checked = await deps.check(paths, { cwd: io.cwd, runId: "preflight", log: io.log, variables });
  if (checked.problems.length > 0) throw new ValidationError(checked.problems);
  if (checked.built.length === 0) throw new UsageError(`no scenarios found in ${paths.join(", ")}`);
  const built = only(checked.built);
  const { kube, context, target } = await connect(args, io, deps);
  try {
    await kube.serverVersion();
  } catch (err) {
    throw new ClusterError(`no cluster: ${target} did not answer: ${(err as Error).message}`, { cause: err });
  }
  const results = [];
  for (const b of built) {
    const needs = scenarioNeeds(b, { registries: checked.registries, sources: checked.sources });
    results.push(
      await preflightScenario(b, needs, kube, context).catch((err: unknown) => {
        throw withContext(`preflight of ${b.scenario.metadata.name}`, err);
      }),
    );
  }
  if (args.output === "json") io.out(JSON.stringify({ target, scenarios: results }, null, 2));
  else io.out(`target: ${target}\n${formatPreflight(results)}`);
  return exitCodeForCheck(results.every((r) => r.ok));
}

async function connect(
  args: PreflightArgs,
  io: CliIO,
  deps: PreflightDeps,
): Promise<{ kube: Kube; context: ContextVerdict; target: string }> {
  if (isGameDay(args)) {
    const r = await deps.resolveKubeconfig({
      env: io.env,
      cwd: io.cwd,
      ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.context ? { context: args.context } : {}),
    });
    let context: ContextVerdict;
    try {
      const allowed = assertContextAllowed({
        context: r.context,
        ...(r.server ? { server: r.server } : {}),
        allow: args.allowContext ?? [],
        env: io.env,
        dryRun: false,
        plan: [],
      });
      context = { ok: true, detail: `a real run is allowed by ${describeAllowance(allowed)}` };
    } catch (err) {
      if (!(err instanceof SafetyError)) throw err;
      context = { ok: false, detail: `a real run would be refused: ${err.message.split("\n")[0]!}` };
    }
    const target = `context "${r.context}" at ${r.server ?? "(no server named)"}`;
    return { kube: deps.createKube(r.path, { context: r.context }), context, target };
  }
  if (args.provider !== "auto" && args.provider !== "local")
    throw new UsageError(
      `--provider ${args.provider}: preflight checks an existing cluster: --provider kubeconfig (with --context), or the running local cluster; kind and k3s clusters are created by the run itself`,
    );
  const kubeconfig = await deps.localKubeconfig(args.name, io.env);
  if (!kubeconfig)
    throw new ClusterError(
      `no cluster: the local cluster "${args.name}" is not running (start it with \`kubedrill cluster up --name ${args.name}\`, or name a game day's context with --context)`,
    );
  return {
    kube: deps.createKube(kubeconfig),
    context: { ok: true, detail: `the local cluster "${args.name}" is kubedrill's own: no allowance needed` },
    target: `local cluster "${args.name}"`,
  };
}

const realDeps: PreflightDeps = {
  check: checkScenarios,
  createKube,
  localKubeconfig: async (name, env) => (await localState(name, env))?.kubeconfig,
  resolveKubeconfig,
};

export const preflightCommand = createPreflightCommand(realDeps);
