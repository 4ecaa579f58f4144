import type { CliCommand } from "../command.ts";
import { scenarioSchema } from "../../scenario/catalogue.ts";
import { EXIT } from "../exit.ts";

/** `kubedrill schema`: prints the JSON Schema of scenario files (for editors and CI). */
export const schemaCommand: CliCommand = {
  builder: (yargs) => yargs,
  async run(_args, io) {
    io.out(JSON.stringify(scenarioSchema, null, 2));
    return EXIT.ok;
  },
};
