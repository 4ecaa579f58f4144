import type { Argv } from "yargs";
import { compareReports, parseMargin } from "../../results/compare.ts";
import { renderComparison } from "../../results/compare-table.ts";
import { readRunReport } from "../../results/read-report.ts";
import type { CliCommand } from "../command.ts";
import { EXIT } from "../exit.ts";

export interface CompareArgs {
  base: string;
  new: string;
  maxRtoRegression?: string;
  output: "text" | "json";
}

/**
 * `kubedrill compare BASE NEW`: two report.json files (or report folders), scenario by
 * scenario: status, median TTD and median RTO with the change. With --max-rto-regression,
 * exit 1 when a scenario's median RTO grew beyond the margin (or it no longer recovered);
 * otherwise 0. A file that is not a report is a usage error (2).
 */
export const compareCommand: CliCommand<CompareArgs> = {
  builder: (y: Argv) =>
    y
      .positional("base", { type: "string", demandOption: true, describe: "The baseline: report.json or its folder" })
      .positional("new", {
        type: "string",
        demandOption: true,
        describe: "The run to judge: report.json or its folder",
      })
      .option("max-rto-regression", {
        type: "string",
        describe: "Exit 1 when a scenario's median RTO is more than this much slower, e.g. 20%",
      })
      .option("output", {
        alias: "o",
        choices: ["text", "json"] as const,
        default: "text" as const,
        describe: "Output format",
      }) as unknown as Argv<CompareArgs>,
  async run(args, io) {
    const margin = args.maxRtoRegression !== undefined ? parseMargin(args.maxRtoRegression) : undefined;
    const base = await readRunReport(args.base, io.cwd, "BASE");
    const next = await readRunReport(args.new, io.cwd, "NEW");
    const c = compareReports(base.report, next.report, margin !== undefined ? { maxRtoRegression: margin } : {});
    if (args.output === "json") io.out(JSON.stringify({ base: base.file, new: next.file, ...c }, null, 2));
    else io.out(renderComparison(c, { base: base.file, next: next.file }).trimEnd());
    return c.regressions.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
