import type { BuiltScenario } from "../pipeline/instantiate.ts";
import type { SourceLoc, TypedSpec } from "../scenario/types.ts";
import type { Probe, Step } from "../sdk/types.ts";
import { contextArgs } from "../steps/command.ts";
import { describeNeed } from "../providers/capabilities.ts";

const steps = (list: Step[]) => list.map((s, i) => `    ${i + 1}. ${s.describe()}`);
const probes = (list: Probe[]) => list.map((p) => `    - ${p.describe()}`);

/**
 * The dry-run plan of one scenario: every phase and step with its described action.
 * Building it reads the scenario's manifests but touches no cluster.
 */
export function renderPlan(b: BuiltScenario, o: { remediate: boolean; repeat: number }): string {
  const s = b.scenario.spec;
  const lines = [
    `scenario ${b.scenario.metadata.name} (${b.scenario.file})${o.repeat > 1 ? ` x${o.repeat}` : ""}`,
    ...(s.variables && Object.keys(s.variables).length
      ? [
          `  variables: ${Object.entries(s.variables)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(", ")}`,
        ]
      : []),
    `  targets: TTD ${s.targets.detectWithinMs}ms, RTO ${s.targets.recoverWithinMs}ms`,
    ...(s.requires.nodes ? [`  requires: ${s.requires.nodes} Ready node(s)`] : []),
    ...(s.requires.capabilities?.length
      ? [
          `  requires of the cluster (each attempt is skipped, nothing created, where one is missing):`,
          ...s.requires.capabilities.map((c) => `    - ${describeNeed(c)}`),
        ]
      : []),
    touchesLine(s.requires.touches),
    `  setup: create namespace ${b.namespace} (generated, labelled with the run id)`,
    ...steps(b.setup),
    ...(b.waitFor.length ? [`    then wait up to ${s.setup.timeoutMs}ms for:`, ...probes(b.waitFor)] : []),
    `  steady-state: must hold before the fault:`,
    ...(b.steadyState.length ? probes(b.steadyState) : ["    (no probes)"]),
    ...(b.abortWhen.length
      ? [
          `  abort guards (checked from the end of setup until cleanup; one failing aborts the attempt):`,
          ...probes(b.abortWhen),
        ]
      : []),
    `  inject: (fault start = TTD/RTO zero)`,
    ...steps(b.fault),
    `  detect (${s.detect.mode}, within ${s.targets.detectWithinMs}ms):`,
    ...(b.signals.length ? b.signals.map((d) => `    - ${d.describe()}`) : ["    (no signals)"]),
    `  remediate:`,
    ...(!o.remediate
      ? ["    skipped (--no-remediate)"]
      : [
          ...steps(b.remediate),
          ...(s.remediate.external ? [`    wait for external remediation: ${s.remediate.external.description}`] : []),
          ...(b.remediate.length || s.remediate.external ? [] : ["    (none: wait for self-healing)"]),
        ]),
    `  recover (within ${s.targets.recoverWithinMs}ms${s.recover.holdForMs ? `, holding ${s.recover.holdForMs}ms` : ""}):`,
    ...probes(b.recover),
    ...(b.rpo.length ? [`  verify RPO:`, ...probes(b.rpo)] : []),
    `  cleanup: revert every step newest first, delete namespace ${b.namespace}, check that no run-labelled object remains`,
  ];
  return lines.join("\n");
}

/** What the scenario changes outside its namespace, as declared (validation holds every step to it). */
function touchesLine(t: { kinds: string[]; namespaces: string[] } | undefined): string {
  const parts = [
    ...(t?.kinds.length ? [`kinds ${t.kinds.join(", ")}`] : []),
    ...(t?.namespaces.length ? [`namespaces ${t.namespaces.join(", ")}`] : []),
  ];
  return parts.length
    ? `  OUTSIDE its namespace, changes: ${parts.join("; ")} (spec.requires.touches)`
    : "  outside its namespace: nothing declared (spec.requires.touches)";
}

/**
 * The short plan of a run, one line per step of each scenario (`<scenario>: <phase>:
 * <step>`), for the provider's guard to show when it refuses a context.
 */
export function planLines(built: readonly BuiltScenario[], o: { remediate: boolean }): string[] {
  return built.flatMap((b) => {
    const name = b.scenario.metadata.name;
    const line = (phase: string) => (s: Step) => `${name}: ${phase}: ${s.describe()}`;
    return [
      ...b.setup.map(line("setup")),
      ...b.fault.map(line("fault")),
      ...(o.remediate ? b.remediate.map(line("remediate")) : []),
    ];
  });
}

/**
 * Warnings for a game day (an existing cluster): command steps and probes whose arguments
 * name a context, kubeconfig or server. Commands get a kubeconfig holding only the allowed
 * context, so such arguments either fail or reach a cluster nobody allowed.
 */
export function gameDayWarnings(built: readonly BuiltScenario[]): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 32 || !v || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (isCommandSpec(v)) {
      const args = contextArgs(v.params.run);
      if (args.length > 0)
        out.push(
          `warning: ${formatLoc(v.loc)}: command passes ${args.join(", ")}: on a game day commands get a kubeconfig holding only the allowed context, so this may fail or reach a cluster nobody allowed`,
        );
    }
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  for (const b of built) visit(b.scenario.spec, 0);
  return out;
}

function isCommandSpec(v: object): v is TypedSpec & { params: { run: unknown[] } } {
  const t = v as Partial<TypedSpec>;
  return t.type === "command" && !!t.loc && Array.isArray(t.params?.run);
}

const formatLoc = (l: SourceLoc) => `${l.file}:${l.line}:${l.column}: ${l.field}`;
