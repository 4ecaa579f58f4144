import { writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import type { CliCommand } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { scaffold } from "../../catalogue/scaffold.ts";
import { PACKAGE_ROOT } from "../../util/package-root.ts";
import { EXIT } from "../exit.ts";

export interface InitArgs {
  name: string;
  output?: string;
  force: boolean;
}

/** The JSON Schema of scenario files as shipped in the package (editors read it). */
export const SCHEMA_FILE = join(PACKAGE_ROOT, "schema", "scenario.schema.json");

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `kubedrill init NAME`: writes NAME.yaml (or --output), a commented scenario that
 * validates as written, for the user to turn into their own drill. Never overwrites a
 * file unless --force.
 */
export const initCommand: CliCommand<InitArgs> = {
  builder: (yargs) =>
    yargs
      .positional("name", { type: "string", demandOption: true, describe: "Scenario name, a DNS-1123 label" })
      .option("output", { alias: "o", type: "string", describe: "File to write (default: NAME.yaml)" })
      .option("force", { type: "boolean", default: false, describe: "Overwrite the file if it exists" }),
  async run(args, io) {
    if (!NAME.test(args.name))
      throw new UsageError(
        `${JSON.stringify(args.name)} is not a valid scenario name: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (e.g. checkout-quota)`,
      );
    const file = resolve(io.cwd, args.output ?? `${args.name}.yaml`);
    const schema = relative(dirname(file), SCHEMA_FILE).split("\\").join("/");
    try {
      await writeFile(file, scaffold(args.name, schema), { flag: args.force ? "w" : "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST")
        throw new UsageError(`${file} already exists; choose another --output or pass --force`, { cause: err });
      throw new UsageError(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
    }
    io.out(file);
    io.log.info(`wrote ${file}; check it with: kubedrill validate ${relative(io.cwd, file) || file}`);
    return EXIT.ok;
  },
};
