import type { CliCommand } from "../command.ts";

/** A command as `--help` lists it; its module (and what that imports) is loaded only when it runs. */
export interface CommandEntry {
  /** Name and positionals, yargs-style: `run [paths..]`. */
  usage: string;
  describe: string;
  load: () => Promise<CliCommand<never>>;
}

const as = <T>(c: T) => c as unknown as CliCommand<never>;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    usage: "run [paths..]",
    describe: "Run scenarios: inject, detect, remediate, measure TTD/RTO, clean up (default: scenarios/)",
    load: async () => as((await import("./run.ts")).runCommand),
  },
  {
    usage: "validate [paths..]",
    describe: "Check scenario files without touching a cluster (default: scenarios/)",
    load: async () => as((await import("./validate.ts")).validateCommand),
  },
  {
    usage: "cluster <action>",
    describe: "Manage the embedded local cluster: up, down, status, kubeconfig",
    load: async () => as((await import("./cluster.ts")).clusterCommand),
  },
  {
    usage: "diagnose",
    describe: "Find the root causes of failures in a cluster (read-only)",
    load: async () => as((await import("./diagnose.ts")).diagnoseCommand),
  },
  {
    usage: "cleanup",
    describe: "Repair now what dead runs left behind (faults, marks, namespaces)",
    load: async () => as((await import("./cleanup.ts")).cleanupCommand),
  },
  {
    usage: "schema",
    describe: "Print the JSON Schema of scenario files",
    load: async () => as((await import("./schema.ts")).schemaCommand),
  },
];

/** The name a usage string gives the command: `run [paths..]` -> `run`. */
export const commandName = (e: CommandEntry) => e.usage.split(" ")[0]!;
