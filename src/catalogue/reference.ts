import { PROBES } from "../probes/index.ts";
import { scenarioSchema } from "../scenario/catalogue.ts";
import { FIDELITY_PROVIDERS, type FidelityProvider, type Plugin } from "../sdk/plugin.ts";
import { CAPABILITIES, CAPABILITY_NAMES } from "../providers/capabilities.ts";
import { SHARED_DEFINITIONS } from "../sdk/schema-parts.ts";
import { SIGNALS } from "../signals/index.ts";
import { STEPS } from "../steps/index.ts";

type Fragment = Record<string, unknown>;

/** The text of schema/scenario.schema.json: what `kubedrill schema` prints, as a file. */
export function schemaFileText(): string {
  return JSON.stringify(scenarioSchema, null, 2) + "\n";
}

/** `string`, `integer (>= 1)`, `one of: a, b`, `target`, `list of string`. */
function typeOf(f: Fragment): string {
  if (typeof f.$ref === "string") {
    const name = f.$ref.split("/").pop()!;
    return name in SHARED_DEFINITIONS ? `[${name}](#${name.toLowerCase()})` : `${name} (a one-key map)`;
  }
  if (Array.isArray(f.enum)) return `one of: ${f.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  if ("const" in f) return `\`${String(f.const)}\``;
  const t = Array.isArray(f.type) ? f.type.join(" or ") : typeof f.type === "string" ? f.type : "any";
  if (t === "array" && f.items && typeof f.items === "object") return `list of ${typeOf(f.items as Fragment)}`;
  const format = typeof f.format === "string" ? ` (${f.format})` : "";
  const range =
    typeof f.minimum === "number" || typeof f.maximum === "number"
      ? ` (${[typeof f.minimum === "number" ? `>= ${f.minimum}` : "", typeof f.maximum === "number" ? `<= ${f.maximum}` : ""].filter(Boolean).join(", ")})`
      : "";
  return `${t}${format}${range}`;
}

/** A fragment's description, or that of the shared definition it points at. */
function meaning(f: Fragment): string {
  if (typeof f.description === "string") return f.description;
  if (typeof f.$ref !== "string") return "";
  const d = (scenarioSchema.definitions as Record<string, Fragment>)[f.$ref.split("/").pop()!];
  return typeof d?.description === "string" ? d.description : "";
}

const SCOPES: Record<string, string> = {
  namespace: "objects in one namespace",
  target: "decided by the kinds it names; cluster-scoped kinds reach beyond the namespace",
  nodes: "nodes every scenario shares: the scenario runs alone under --parallel",
  provider: "a provider action on the nodes' machines: the scenario runs alone under --parallel",
  none: "nothing kubedrill can judge; its effects are the author's responsibility",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function paramsTable(properties: Record<string, Fragment>, required: readonly string[], prefix = ""): string[] {
  const rows: string[] = [];
  for (const [name, f] of Object.entries(properties)) {
    const def = "default" in f ? ` Default: \`${JSON.stringify(f.default)}\`.` : "";
    rows.push(
      `| \`${prefix}${name}\` | ${required.includes(name) ? "yes" : ""} | ${cell(typeOf(f))} | ${cell(meaning(f))}${def} |`,
    );
    if (f.type === "object" && f.properties && typeof f.properties === "object")
      rows.push(
        ...paramsTable(
          f.properties as Record<string, Fragment>,
          (f.required as string[] | undefined) ?? [],
          `${prefix}${name}.`,
        ),
      );
  }
  return rows;
}

function section(p: Plugin): string[] {
  const scope = p.kind === "step" ? [`Scope: \`${p.scope}\` (${SCOPES[p.scope] ?? ""}).`] : [];
  const fidelity = Object.entries(p.fidelity ?? {}).map(([provider, f]) => `${provider}: ${f.mode} (${f.note})`);
  const props = Object.entries(p.params.properties);
  return [
    `### ${p.name}`,
    "",
    p.description,
    "",
    ...(scope.length ? [...scope, ""] : []),
    ...(fidelity.length ? [`Not plainly real everywhere: ${fidelity.join("; ")}.`, ""] : []),
    ...(props.length
      ? [
          "| parameter | required | type | meaning |",
          "|---|---|---|---|",
          ...paramsTable(p.params.properties, p.params.required ?? []),
          "",
        ]
      : ["No parameters.", ""]),
  ];
}

const PROVIDER_HEADS: Record<FidelityProvider, string> = {
  local: "local, real nodes",
  kwok: "local, kwok nodes",
  kind: "kind",
  k3s: "k3s",
  kubeconfig: "kubeconfig (existing cluster)",
};

/** The table of src/providers/capabilities.ts: what each means, and which provider has it. */
function capabilitiesSection(): string[] {
  const rows = CAPABILITY_NAMES.map((name) => {
    const c = CAPABILITIES[name];
    const cells = FIDELITY_PROVIDERS.map((p) =>
      c.on[p].has === "discovered" ? `found at start, ${c.on[p].how}` : `${c.on[p].has}: ${c.on[p].how}`,
    );
    return `| \`${name}\` | ${cell(c.means)} | ${cells.map(cell).join(" | ")} |`;
  });
  return [
    "## Cluster capabilities",
    "",
    "What a scenario can require of the cluster besides nodes: `spec.requires: { capabilities: [authRegistry, clusterDNS] }`.",
    "On a cluster that lacks one, every attempt of the scenario is reported `skipped` with what it needs",
    "(`needs authRegistry (...); cluster local/kwok has none`); nothing is created, and a skip does not",
    "fail the run (exit status 0, also when every attempt was skipped). `kubedrill describe` and `list`",
    "show, per provider, where a scenario is skipped.",
    "",
    `| capability | meaning | ${FIDELITY_PROVIDERS.map((p) => PROVIDER_HEADS[p]).join(" | ")} |`,
    `|---|---|${FIDELITY_PROVIDERS.map(() => "---|").join("")}`,
    ...rows,
    "",
  ];
}

/**
 * docs/reference.md: every step, probe and signal with its parameters, generated from the
 * plug-in modules (the same source as the JSON Schema), and the shared shapes they use.
 * `npm run docs` writes it; a unit test fails when the file is stale.
 */
export function renderReference(): string {
  const defs = scenarioSchema.definitions as Record<string, Fragment>;
  const shared = Object.keys(SHARED_DEFINITIONS)
    .filter((n) => defs[n])
    .flatMap((n) => {
      const d = defs[n]!;
      const props = d.properties as Record<string, Fragment> | undefined;
      return [
        `### ${n}`,
        "",
        `${String(d.description ?? "")} Type: ${cell(typeOf({ ...d, $ref: undefined }))}.`,
        "",
        ...(props
          ? [
              "| field | required | type | meaning |",
              "|---|---|---|---|",
              ...paramsTable(props, (d.required as string[]) ?? []),
              "",
            ]
          : []),
      ];
    });
  const lines = [
    "# Reference: steps, probes, signals and cluster capabilities",
    "",
    "<!-- Generated by `npm run docs` from the plug-in modules (src/steps, src/probes, src/signals) and",
    "     src/providers/capabilities.ts;",
    "     do not edit by hand: a unit test fails when this file and the code disagree. -->",
    "",
    "Every step, probe and signal is written as a map with one key, its type: `- scale: { target: { kind: Deployment, name: api }, replicas: 2 }`.",
    "The JSON Schema of scenario files is `schema/scenario.schema.json` (also printed by `kubedrill schema`).",
    "How to write a scenario: [authoring.md](authoring.md). Where a type is simulated or unavailable, the",
    "note under it says so; `kubedrill describe NAME` sums it up for a scenario.",
    "",
    `## Steps (${STEPS.length})`,
    "",
    "Steps change the cluster; each one's change is reverted when the attempt ends.",
    "",
    ...STEPS.flatMap(section),
    `## Probes (${PROBES.length})`,
    "",
    "Probes check a condition now; they hold or they do not.",
    "",
    ...PROBES.flatMap(section),
    `## Signals (${SIGNALS.length})`,
    "",
    "Signals are what detection waits for after the fault; TTD is the time to the first sighting.",
    "",
    ...SIGNALS.flatMap(section),
    ...capabilitiesSection(),
    "## Shared shapes",
    "",
    ...shared,
  ];
  return lines.join("\n").replace(/\n+$/, "\n");
}
