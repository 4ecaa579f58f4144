import type { CliCommand } from "../command.ts";

/** A command as `--help` lists it; its module (and what that imports) is loaded only when it runs. */
export interface CommandEntry {
  /** Name and positionals, yargs-style: `run [paths..]`. */
  usage: string;
  describe: string;
  /** Shown by `kubedrill COMMAND --help`: [command line, what it does]. */
  examples?: readonly (readonly [string, string])[];
  load: () => Promise<CliCommand<never>>;
}

const as = <T>(c: T) => c as unknown as CliCommand<never>;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    usage: "run [paths..]",
    describe: "Run scenarios: inject, detect, remediate, measure TTD/RTO, clean up (default: scenarios/)",
    examples: [
      ["$0 run", "every scenario of ./scenarios/ (or the shipped ones) on the local cluster"],
      ["$0 run quota-exhaustion --dry-run", "a shipped scenario by name: the plan, touching nothing"],
      ["$0 run --tag network --repeat 3", "the scenarios tagged network, three times each"],
      ["$0 run --rerun-failed reports/latest", "only what failed or errored in the last run"],
      ["$0 run --provider kubeconfig --context staging --allow-context staging", "a game day"],
    ],
    load: async () => as((await import("./run.ts")).runCommand),
  },
  {
    usage: "preflight [paths..]",
    describe:
      "Check read-only against the cluster whether scenarios can run: context, permissions, kinds, selectors, nodes",
    examples: [
      ["$0 preflight --provider kubeconfig --context staging --allow-context staging", "before a game day"],
      ["$0 preflight quota-exhaustion --output json", "one scenario against the running local cluster, as JSON"],
    ],
    load: async () => as((await import("./preflight.ts")).preflightCommand),
  },
  {
    usage: "validate [paths..]",
    describe: "Check scenario files without touching a cluster (default: scenarios/)",
    examples: [["$0 validate my-drill.yaml --output json", "problems as JSON, exit status 2 when any"]],
    load: async () => as((await import("./validate.ts")).validateCommand),
  },
  {
    usage: "list [paths..]",
    describe: "List the shipped scenarios and yours: tags, failure, real or simulated per provider",
    examples: [
      ["$0 list", "the shipped scenarios (and ./scenarios/)"],
      ["$0 list drills/ --tag network", "your drills too, only those tagged network"],
    ],
    load: async () => as((await import("./list.ts")).listCommand),
  },
  {
    usage: "describe <scenario>",
    describe: "Explain a scenario: failure, steps, detection, remediation, targets",
    examples: [["$0 describe zone-unavailable", "a shipped scenario, by name"]],
    load: async () => as((await import("./describe.ts")).describeCommand),
  },
  {
    usage: "init <name>",
    describe: "Write a commented scenario file to start a new drill from",
    examples: [["$0 init checkout-quota", "writes checkout-quota.yaml, which validates as written"]],
    load: async () => as((await import("./init.ts")).initCommand),
  },
  {
    usage: "compare <base> <new>",
    describe: "Compare two runs' reports: status, median TTD and RTO per scenario; exit 1 on an RTO regression",
    examples: [
      [
        "$0 compare reports/nightly-1 reports/latest --max-rto-regression 20%",
        "fail when an RTO grew by more than 20%",
      ],
    ],
    load: async () => as((await import("./compare.ts")).compareCommand),
  },
  {
    usage: "cluster <action>",
    describe: "Manage the embedded local cluster: up, down, status, kubeconfig",
    load: async () => as((await import("./cluster.ts")).clusterCommand),
  },
  {
    usage: "diagnose",
    describe: "Find the root causes of failures in a cluster (read-only)",
    examples: [["$0 diagnose --namespace shop", "findings with evidence and remedies for one namespace"]],
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
