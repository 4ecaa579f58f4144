import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { knownKind } from "../k8s/kinds.ts";
import type { Scenario, TypedSpec } from "../scenario/types.ts";
import { parseManifestFile } from "../sdk/manifests.ts";
import { isPlainObject } from "../sdk/objects.ts";
import { isNodeLevel, type ScopeOf } from "../sdk/plugin.ts";
import { stepScope } from "../steps/index.ts";

/** Placeholders kept as written, so that a name can be checked for them. */
const KEEP = { namespace: "${namespace}", runId: "${runId}" };

/**
 * Why a scenario must run alone under --parallel, or undefined when it may share the
 * cluster:
 * - a node-level step (scope `nodes` or `provider`, src/sdk/plugin.ts): a stopped zone or a
 *   full disk would make a neighbour's steady state fail for reasons that are not its own;
 * - it declares kinds or other namespaces it changes (spec.requires.touches);
 * - a step of scope `target`: an `apply` (inline objects, or the file of `path`) of a
 *   cluster-scoped object, or a patch/delete/scale of one, whose name is not private to
 *   the attempt: it has no `${namespace}`, and no `${runId}` either (which is enough only when the scenario does
 *   not run beside itself, i.e. `repeat` is 1). Kinds kubedrill does not know cannot be
 *   judged here (declare them in requires.touches.kinds).
 */
export function whyAlone(s: Scenario, o: { repeat?: number; scopeOf?: ScopeOf } = {}): string | undefined {
  const scopeOf = o.scopeOf ?? stepScope;
  const steps = [...s.spec.setup.steps, ...s.spec.fault, ...s.spec.remediate.steps];
  const node = nodeLevelStep(s, o);
  if (node) return `changes nodes other scenarios use (${node})`;
  const declared = s.spec.requires?.touches ?? { kinds: [], namespaces: [] };
  if (declared.kinds.length > 0)
    return `changes cluster-scoped objects (requires.touches.kinds: ${declared.kinds.join(", ")})`;
  if (declared.namespaces.length > 0)
    return `changes objects in other namespaces (requires.touches.namespaces: ${declared.namespaces.join(", ")})`;
  const isPrivate = (name: string) =>
    name.includes(KEEP.namespace) || ((o.repeat ?? 1) <= 1 && name.includes(KEEP.runId));
  for (const st of steps) {
    if (scopeOf(st.type) !== "target") continue;
    const shared = clusterScopedNames(st, s.file).find((n) => !isPrivate(n.name));
    if (shared) return `changes the cluster-scoped ${shared.kind}/${shared.name} other scenarios may use`;
  }
  return undefined;
}

/**
 * The node-level step (scope `nodes` or `provider`) a scenario takes, if any: such an
 * attempt stops, fills or cuts off nodes, so it starts only once every earlier attempt has
 * finished, the deletion of its namespace included (its pods may still be on those nodes),
 * and the next attempt starts only once it has finished too.
 */
export function nodeLevelStep(s: Scenario, o: { scopeOf?: ScopeOf } = {}): string | undefined {
  const scopeOf = o.scopeOf ?? stepScope;
  const steps = [...s.spec.setup.steps, ...s.spec.fault, ...s.spec.remediate.steps];
  return steps.find((st) => isNodeLevel(scopeOf(st.type)))?.type;
}

/** Whether a scenario changes nodes: a node-level step, or Node among the kinds it declares it touches. */
export const changesNodes = (s: Scenario, o: { scopeOf?: ScopeOf } = {}): boolean =>
  nodeLevelStep(s, o) !== undefined || (s.spec.requires?.touches?.kinds ?? []).includes("Node");

export function runsAlone(s: Scenario, o: { repeat?: number; scopeOf?: ScopeOf } = {}): boolean {
  return whyAlone(s, o) !== undefined;
}

/** The cluster-scoped objects (kind, name as written) a `target` step applies or targets. */
function clusterScopedNames(st: TypedSpec, file: string | undefined): { kind: string; name: string }[] {
  const clusterScoped = (kind: unknown, apiVersion: unknown) =>
    typeof kind === "string" &&
    knownKind(kind, typeof apiVersion === "string" ? apiVersion : undefined)?.namespaced === false;
  const out: { kind: string; name: string }[] = [];
  if (isPlainObject(st.params.target)) {
    const t = st.params.target;
    if (clusterScoped(t.kind, t.apiVersion) && typeof t.name === "string")
      out.push({ kind: String(t.kind), name: t.name });
    return out;
  }
  const objects: unknown[] = Array.isArray(st.params.objects) ? [...st.params.objects] : [];
  if (typeof st.params.path === "string" && file) {
    try {
      const path = resolve(dirname(file), st.params.path);
      objects.push(...parseManifestFile(path, st.params.path, readFileSync(path, "utf8"), KEEP).map((m) => m.object));
    } catch {
      // unreadable or invalid: validation reports it; here it cannot be judged
    }
  }
  for (const obj of objects) {
    if (!isPlainObject(obj) || !isPlainObject(obj.metadata)) continue;
    if (clusterScoped(obj.kind, obj.apiVersion) && typeof obj.metadata.name === "string")
      out.push({ kind: String(obj.kind), name: obj.metadata.name });
  }
  return out;
}

/** A readers-writer gate: shared holders run together; an exclusive holder runs alone. */
export class Gate {
  #shared = 0;
  #exclusive = false;
  #waiters: (() => void)[] = [];

  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    while (exclusive ? this.#exclusive || this.#shared > 0 : this.#exclusive)
      await new Promise<void>((r) => this.#waiters.push(r));
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
    try {
      return await work();
    } finally {
      if (exclusive) this.#exclusive = false;
      else this.#shared--;
      for (const w of this.#waiters.splice(0)) w();
    }
  }
}
