import { conditionsOf } from "../sdk/objects.ts";
import type { Kube } from "../k8s/kube.ts";
import type { Access, ResourceType } from "../k8s/types.ts";
import type { BuiltScenario } from "../pipeline/instantiate.ts";
import type { ScenarioNeeds } from "./needs.ts";

export type CheckName = "context" | "permissions" | "kinds" | "selectors" | "nodes";

export interface PreflightCheck {
  check: CheckName;
  ok: boolean;
  /** What passed (one line) or every problem found (one line each). */
  details: string[];
}

export interface ScenarioPreflight {
  name: string;
  file: string;
  ok: boolean;
  checks: PreflightCheck[];
}

/** The context a run would target, and whether the guard would allow a real run there. */
export interface ContextVerdict {
  ok: boolean;
  detail: string;
}

const kindName = (t: ResourceType) => `${t.kind} (${t.apiVersion})`;
const where = (a: Access) => (a.namespace ? `in namespace ${a.namespace}` : "cluster-wide");
const key = (t: ResourceType) => `${t.apiVersion}/${t.kind}`;

/**
 * Checks one scenario read-only against a cluster: the context guard's verdict, a
 * SelfSubjectAccessReview for every access it needs, discovery for every kind it uses
 * (unless its setup installs the CRD), that the objects its steps select outside its own
 * namespace exist, and that the cluster has the Ready nodes `requires.nodes` asks for.
 * Nothing is created, changed or deleted.
 */
export async function preflightScenario(
  b: BuiltScenario,
  needs: ScenarioNeeds,
  kube: Kube,
  context: ContextVerdict,
): Promise<ScenarioPreflight> {
  const checks: PreflightCheck[] = [{ check: "context", ok: context.ok, details: [context.detail] }];

  const defined = new Set(needs.definedBySetup.map(key));
  const missing: string[] = [];
  const served = new Map<string, boolean>();
  for (const t of needs.kinds) {
    const ok = defined.has(key(t)) || (await kube.hasKind(t));
    served.set(key(t), ok);
    if (!ok) missing.push(`${kindName(t)} is not served by the API server (install its CRD or API first)`);
  }
  checks.push({
    check: "kinds",
    ok: missing.length === 0,
    details: missing.length
      ? missing
      : [`${needs.kinds.length} kind(s) served${defined.size ? ` (${defined.size} installed by setup)` : ""}`],
  });

  const denied: string[] = [];
  let reviewed = 0;
  for (const a of needs.access) {
    if (served.get(key(a)) === false || defined.has(key(a))) continue; // no resource to ask about yet
    reviewed++;
    const r = await kube.canI(a);
    if (!r.allowed) denied.push(`cannot ${a.verb} ${kindName(a)} ${where(a)}${r.reason ? `: ${r.reason}` : ""}`);
  }
  checks.push({
    check: "permissions",
    ok: denied.length === 0,
    details: denied.length ? denied : [`${reviewed} access review(s) allowed`],
  });

  const empty: string[] = [];
  for (const s of needs.selections) {
    if (served.get(key(s.type)) === false) continue;
    const what = `${s.type.kind}${s.name ? ` "${s.name}"` : ` ${s.selector}`}${s.namespace ? ` in ${s.namespace}` : ""}`;
    if (s.name) {
      const found = await kube.get({ ...s.type, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) });
      if (!found) empty.push(`${s.field}: ${what} does not exist`);
    } else {
      const { items } = await kube.list(s.type, {
        ...(s.namespace ? { namespace: s.namespace } : {}),
        labelSelector: s.selector!,
        metadataOnly: true,
      });
      if (items.length === 0) empty.push(`${s.field}: nothing matches ${what}`);
    }
  }
  checks.push({
    check: "selectors",
    ok: empty.length === 0,
    details: empty.length
      ? empty
      : [`${needs.selections.length} selection(s) outside the scenario's namespace match something`],
  });

  const want = b.scenario.spec.requires.nodes;
  if (want) {
    const { items } = await kube.list({ apiVersion: "v1", kind: "Node" });
    const ready = items.filter((n) => conditionsOf(n).some((c) => c.type === "Ready" && c.status === "True")).length;
    checks.push({
      check: "nodes",
      ok: ready >= want,
      details: [`requires ${want} Ready node(s); the cluster has ${ready} (of ${items.length})`],
    });
  }
  return { name: b.scenario.metadata.name, file: b.scenario.file, ok: checks.every((c) => c.ok), checks };
}

/** The preflight as text: per scenario, PASS or FAIL, then each check and its details. */
export function formatPreflight(results: readonly ScenarioPreflight[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.ok ? "PASS" : "FAIL"} ${r.name} (${r.file})`);
    for (const c of r.checks) {
      lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.check}: ${c.details[0]}`);
      for (const d of c.details.slice(1)) lines.push(`       ${" ".repeat(c.check.length)}  ${d}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  lines.push("", `${results.length - failed} of ${results.length} scenario(s) pass preflight`);
  return lines.join("\n");
}
