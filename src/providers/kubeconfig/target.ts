import { delimiter } from "node:path";
import { SafetyError } from "../../errors.ts";
import { assertContextAllowed, describeAllowance } from "../context-guard.ts";
import { resolveKubeconfig, type ResolveOptions } from "../shared/resolve-kubeconfig.ts";

/**
 * The plan's lines about a game day's target: which context, which API server, from which
 * files, and whether a real run would be allowed (and by what) or refused. Never throws:
 * a dry run shows what it cannot resolve.
 */
export async function describeGameDayTarget(opts: ResolveOptions & { allowContexts: string[] }): Promise<string[]> {
  let r;
  try {
    r = await resolveKubeconfig(opts);
  } catch (err) {
    return [`target: cannot be resolved: ${err instanceof Error ? err.message : String(err)}`];
  }
  const lines = [
    `target: context "${r.context}" at server ${r.server ?? "(none named)"} (kubeconfig ${r.files.join(delimiter)}, from ${r.source})`,
  ];
  try {
    const allowance = assertContextAllowed({
      context: r.context,
      ...(r.server ? { server: r.server } : {}),
      allow: opts.allowContexts,
      env: opts.env,
      dryRun: false,
      plan: [],
    });
    lines.push(`guard: a real run is allowed by ${describeAllowance(allowance)}`);
  } catch (err) {
    if (!(err instanceof SafetyError)) throw err;
    lines.push(`guard: a real run would be refused: ${err.message.split("\n")[0]!.replace(/^refusing to run /, "")}`);
  }
  return lines;
}
