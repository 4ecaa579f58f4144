import type { CliCommand } from "../command.ts";
import { UsageError, ValidationError } from "../../errors.ts";
import { describeEntry } from "../../catalogue/describe.ts";
import { loadCatalogue } from "../../catalogue/entries.ts";
import { resolveScenarioArgs } from "../../catalogue/locate.ts";
import { EXIT } from "../exit.ts";

export interface DescribeArgs {
  scenario: string;
}

/**
 * `kubedrill describe NAME|FILE`: a scenario in words: failure, setup, fault, detection,
 * remediation, targets, and what is real or simulated on each provider. A name is looked
 * up in ./scenarios/ and then in the scenarios shipped with kubedrill.
 */
export const describeCommand: CliCommand<DescribeArgs> = {
  builder: (yargs) =>
    yargs.positional("scenario", {
      type: "string",
      demandOption: true,
      describe: "A scenario name (quota-exhaustion) or a scenario file",
    }),
  async run(args, io) {
    const [file] = await resolveScenarioArgs([args.scenario], io.cwd);
    const { entries, problems } = await loadCatalogue([file!], io.cwd, { shipped: false });
    if (problems.length > 0) throw new ValidationError(problems);
    const entry = entries[0];
    if (!entry) throw new UsageError(`${args.scenario}: not a scenario file`);
    io.out(describeEntry(entry));
    return EXIT.ok;
  },
};
