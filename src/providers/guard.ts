import { formatProblem, SafetyError } from "../errors.ts";
import { knownKind } from "../k8s/kinds.ts";
import type { StepSpec } from "../scenario/types.ts";
import { isNodeLevel, type ScopeOf } from "../sdk/plugin.ts";
import { stepScope } from "../steps/index.ts";

// The context guard (which contexts a destructive run may target) is in context-guard.ts.

interface KindRef {
  kind: string;
  apiVersion?: string;
}

/**
 * Whether a step touches something outside a namespace: node-level and provider steps
 * always; `target` steps when a kind they touch is cluster-scoped. For `apply`, pass the
 * objects it applies (loaded from `path` or `objects`); for `patch`/`delete`/`scale`, the
 * target. A kind kubedrill does not know is treated as cluster-scoped (the safe answer).
 * A namespaced-only game day (`namespacedOnly`) refuses such steps.
 */
export function isClusterScopedStep(type: string, kinds: KindRef[] = [], scopeOf: ScopeOf = stepScope): boolean {
  const scope = scopeOf(type);
  if (isNodeLevel(scope)) return true;
  if (scope !== "target") return false;
  return kinds.some((k) => {
    const known = knownKind(k.kind, k.apiVersion) ?? knownKind(k.kind);
    return known === undefined || !known.namespaced;
  });
}

/**
 * The kinds a step names in its own parameters (`objects`, `target`). A `path` it cannot
 * see into counts as an unknown kind, hence cluster-scoped, unless the caller loads it.
 */
function kindsOfStep(step: Pick<StepSpec, "params">): KindRef[] {
  const out: KindRef[] = [];
  if (typeof step.params.path === "string") out.push({ kind: `<objects in ${step.params.path}>` });
  const objects = step.params.objects;
  if (Array.isArray(objects)) {
    for (const o of objects)
      if (o && typeof o === "object" && typeof (o as KindRef).kind === "string") out.push(o as KindRef);
  }
  const target = step.params.target;
  if (target && typeof target === "object" && typeof (target as KindRef).kind === "string") out.push(target as KindRef);
  return out;
}

/**
 * With `namespacedOnly`, refuses every cluster-scoped step, naming each at file:line:col.
 * `kindsOf` may add the kinds of a step's `path` (already loaded by the caller).
 */
export function assertNamespacedOnly(
  steps: StepSpec[],
  kindsOf: (step: StepSpec) => KindRef[] = kindsOfStep,
  scopeOf: ScopeOf = stepScope,
): void {
  const offending = steps.filter((s) => isClusterScopedStep(s.type, kindsOf(s), scopeOf));
  if (offending.length === 0) return;
  const lines = offending.map((s) =>
    formatProblem({ ...s.loc, message: `step "${s.type}" acts outside the scenario's namespace (cluster-scoped)` }),
  );
  throw new SafetyError(
    `namespacedOnly is set, so ${offending.length} cluster-scoped step${offending.length === 1 ? " is" : "s are"} refused:\n${lines.join("\n")}\nRemove namespacedOnly to allow node and cluster-scoped faults.`,
  );
}
