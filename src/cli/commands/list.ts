import type { CliCommand } from "../command.ts";
import { formatProblem } from "../../errors.ts";
import { loadCatalogue, type CatalogueEntry } from "../../catalogue/entries.ts";
import { exitCodeForProblems } from "../exit.ts";

export interface ListArgs {
  paths?: string[];
  tag?: string[];
  output: "text" | "json";
}

/** The table of `kubedrill list`: one row per scenario, columns padded to the widest cell. */
export function listTable(entries: readonly CatalogueEntry[]): string[] {
  const providers = entries[0]?.fidelity.map((f) => f.provider) ?? [];
  const rows = [
    ["NAME", "ORIGIN", "TAGS", ...providers.map((p) => p.toUpperCase()), "FAILURE"],
    ...entries.map((e) => [
      e.name,
      e.origin,
      e.tags.join(",") || "-",
      ...e.fidelity.map((f) => f.mode),
      `${e.catalogueRef ? `${e.catalogueRef} ` : ""}${e.failure}`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
}

/**
 * `kubedrill list [paths..]`: the shipped scenarios and the user's (files or folders):
 * name, where it comes from, tags, whether it is real or simulated on each provider, and
 * the failure it reproduces. Files that are not valid scenarios are reported (exit 2).
 */
export const listCommand: CliCommand<ListArgs> = {
  builder: (yargs) =>
    yargs
      .positional("paths", { type: "string", array: true, describe: "Your scenario files or directories" })
      .option("tag", { type: "string", array: true, describe: "Only scenarios carrying one of these tags" })
      .option("output", {
        type: "string",
        choices: ["text", "json"] as const,
        default: "text" as const,
        describe: "text: a table; json: one object per scenario",
      }),
  async run(args, io) {
    const { entries: all, problems } = await loadCatalogue(args.paths ?? [], io.cwd);
    const tags = args.tag ?? [];
    const entries = tags.length ? all.filter((e) => e.tags.some((t) => tags.includes(t))) : all;
    if (args.output === "json") {
      const shown = entries.map(({ built: _built, notes: _notes, ...e }) => e);
      io.out(JSON.stringify({ scenarios: shown, problems }, null, 2));
    } else {
      for (const line of listTable(entries)) io.out(line);
      io.out("");
      io.out(
        `${entries.length} scenario(s). real: every signal comes from the cluster; simulated: some come from a model ` +
          "(marked in the reports); skipped: the cluster lacks a capability it requires; limited/unavailable: see kubedrill describe NAME",
      );
      for (const p of problems) io.log.error(formatProblem(p));
    }
    return exitCodeForProblems(problems.length);
  },
};
