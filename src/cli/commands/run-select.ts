import { defaultScenarioPaths, resolveScenarioArgs } from "../../catalogue/locate.ts";
import { failedInReport, selectByNames, selectByTags } from "../../catalogue/select.ts";
import { UsageError } from "../../errors.ts";
import type { BuiltScenario } from "../../pipeline/instantiate.ts";
import type { RunArgs } from "./run-options.ts";

/**
 * What `kubedrill run` checks and which of those scenarios it runs: the paths given
 * (scenario names resolved to files), else the files a --rerun-failed report names, else
 * ./scenarios/ or the shipped scenarios; then only those carrying a --tag and, with
 * --rerun-failed, only those that failed or errored in that report.
 */
export async function scenarioSelection(
  args: Pick<RunArgs, "paths" | "tag" | "rerunFailed">,
  cwd: string,
): Promise<{ paths: string[]; only: (built: readonly BuiltScenario[]) => BuiltScenario[] }> {
  const rerun = args.rerunFailed !== undefined ? await failedInReport(args.rerunFailed, cwd) : undefined;
  if (rerun && rerun.names.length === 0)
    throw new UsageError(`--rerun-failed: nothing failed or errored in ${rerun.report}; nothing to rerun`);
  const given = args.paths?.length ? await resolveScenarioArgs(args.paths, cwd) : undefined;
  const paths = given ?? (rerun?.files.length ? rerun.files : defaultScenarioPaths(cwd));
  return {
    paths,
    only: (built) => selectByTags(rerun ? selectByNames(built, rerun.names) : built, args.tag),
  };
}
