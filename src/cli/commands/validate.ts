import type { CliCommand } from "../command.ts";
import { formatProblem } from "../../errors.ts";
import { checkScenarios } from "../../pipeline/check.ts";
import { exitCodeForProblems } from "../exit.ts";
import { variableOptions } from "./run-options.ts";
import { defaultScenarioPaths, resolveScenarioArgs } from "../../catalogue/locate.ts";

export interface ValidateArgs {
  paths?: string[];
  output: "text" | "json";
  /** Scenario variables, as `run` takes them. */
  set?: string[];
  values?: string[];
}

/**
 * `kubedrill validate [paths..]`: runs the pipeline `run` runs (src/pipeline/check.ts:
 * schema, semantics, manifests, every plug-in's parameters) without touching any
 * cluster. Exit status 2 when anything is invalid.
 */
export const validateCommand: CliCommand<ValidateArgs> = {
  builder: (yargs) =>
    variableOptions(yargs)
      .positional("paths", {
        type: "string",
        array: true,
        describe: "Scenario files, directories (*.yaml, *.yml, recursively) or shipped scenario names",
      })
      .option("output", {
        type: "string",
        choices: ["text", "json"] as const,
        default: "text" as const,
        describe: "text: file:line:col lines; json: one JSON object",
      }),
  async run(args, io) {
    const paths = args.paths?.length ? await resolveScenarioArgs(args.paths, io.cwd) : defaultScenarioPaths(io.cwd);
    const variables = { ...(args.set ? { set: args.set } : {}), ...(args.values ? { values: args.values } : {}) };
    const { files, problems } = await checkScenarios(paths, { cwd: io.cwd, log: io.log, variables });
    if (files.length === 0 && problems.length === 0)
      io.log.warn(`no scenario files (*.yaml, *.yml) found in ${paths.join(", ")}`);
    if (args.output === "json") {
      io.out(JSON.stringify({ files, problems, valid: problems.length === 0 }, null, 2));
    } else {
      for (const p of problems) io.out(formatProblem(p));
      io.out(`${files.length} file(s) checked, ${problems.length} problem(s)`);
    }
    return exitCodeForProblems(problems.length);
  },
};
