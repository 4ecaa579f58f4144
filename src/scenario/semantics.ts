import type { SourceProblem } from "../errors.ts";
import { knownKinds } from "../k8s/kinds.ts";
import { durationProblem, parseDuration } from "../util/duration.ts";
import type { Locator, Seg } from "./source.ts";
import { closest } from "./suggest.ts";
import { namespaceNameProblem, objectNameProblem } from "../sdk/names.ts";
import { unknownVariables } from "../sdk/substitute.ts";
import { variableProblems } from "./variables.ts";
import { pluginOf } from "./catalogue.ts";
import { get, isMapValue, typedSpecs } from "./typed.ts";
import type { RawTyped } from "./typed.ts";

/**
 * Checks that JSON Schema cannot express (or not legibly). Formats (durations,
 * regexes, label selectors, DNS-1123 names), unknown step/probe/signal types and
 * one-key maps are checked by the schema (src/scenario/schemaCheck.ts translates them);
 * manifest files by manifests.ts; duplicate names across files by load.ts. Rules of one
 * type live in its plug-in (`check`, src/sdk/plugin.ts); the shared `target` and `nodes`
 * fragments are checked here.
 * Every check here skips values of the wrong type: the schema reports those.
 */
export function semanticProblems(scenario: unknown, locator: Locator): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const report = (path: Seg[], message: string) => problems.push(locator.problem(path, message));
  checkTargets(scenario, report);
  checkRequires(scenario, report);
  checkRemediate(scenario, report);
  const declared = declaredNames(scenario);
  checkPlainFields(scenario, declared, report);
  for (const spec of typedSpecs(scenario)) checkTyped(spec, declared, report);
  return problems;
}

/** The names of spec.variables (the schema checks their form). */
function declaredNames(scenario: unknown): string[] {
  const vars = get(scenario, ["spec", "variables"]);
  return isMapValue(vars) ? Object.keys(vars) : [];
}

/** Lists of steps, probes and signals: their params are checked by checkTyped. */
const TYPED = new Set([
  "spec.setup.steps",
  "spec.setup.waitFor",
  "spec.steadyState",
  "spec.abortWhen",
  "spec.fault",
  "spec.detect.signals",
  "spec.remediate.steps",
  "spec.recover.probes",
  "spec.recover.rpo",
  "spec.variables",
]);

/** `${name}` in the fields of spec outside steps, probes and signals (targets, timeouts, ...). */
function checkPlainFields(scenario: unknown, declared: readonly string[], report: Report): void {
  const walk = (v: unknown, path: Seg[]): void => {
    if (TYPED.has(path.join("."))) return;
    if (isMapValue(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === "string") variableProblems(v, path, report, declared);
  };
  walk(get(scenario, ["spec"]), ["spec"]);
}

type Report = (path: Seg[], message: string) => void;

function checkTargets(scenario: unknown, report: Report): void {
  const detect = get(scenario, ["spec", "targets", "detectWithin"]);
  const recover = get(scenario, ["spec", "targets", "recoverWithin"]);
  const detectMs = msOf(detect);
  const recoverMs = msOf(recover);
  if (detectMs === 0) report(["spec", "targets", "detectWithin"], "must be longer than 0s");
  if (recoverMs === 0) report(["spec", "targets", "recoverWithin"], "must be longer than 0s");
  if (detectMs !== undefined && recoverMs !== undefined && detectMs > recoverMs) {
    report(
      ["spec", "targets", "detectWithin"],
      `${detect} is longer than recoverWithin ${recover}; a failure is detected before it is recovered`,
    );
  }
  const hold = get(scenario, ["spec", "recover", "holdFor"]);
  const holdMs = msOf(hold);
  if (holdMs !== undefined && recoverMs !== undefined && holdMs > recoverMs)
    report(
      ["spec", "recover", "holdFor"],
      `${hold} is longer than recoverWithin ${recover}; recovery could never be confirmed within its target`,
    );
  const timeout = get(scenario, ["spec", "setup", "timeout"]);
  if (msOf(timeout) === 0) report(["spec", "setup", "timeout"], "must be longer than 0s (setup could never finish)");
}

/** `requires.clusterScoped` became `requires.touches.kinds` (with `namespaces` beside it). */
function checkRequires(scenario: unknown, report: Report): void {
  const old = get(scenario, ["spec", "requires", "clusterScoped"]);
  if (old === undefined) return;
  const kinds = Array.isArray(old) ? old.filter((k) => typeof k === "string").join(", ") : "";
  report(
    ["spec", "requires", "clusterScoped"],
    `was replaced by spec.requires.touches.kinds: write touches: { kinds: [${kinds}] } (and namespaces: [...] for other namespaces the scenario changes)`,
  );
}

/** A valid duration's milliseconds; undefined for anything the schema's format refuses. */
function msOf(v: unknown): number | undefined {
  return typeof v === "string" && durationProblem(v) === undefined ? parseDuration(v) : undefined;
}

function checkRemediate(scenario: unknown, report: Report): void {
  const remediate = get(scenario, ["spec", "remediate"]);
  if (!isMapValue(remediate)) return;
  const steps = remediate.steps;
  const noSteps = steps === undefined || (Array.isArray(steps) && steps.length === 0);
  if (noSteps && remediate.external === undefined)
    report(
      ["spec", "remediate"],
      "needs steps (what kubedrill does to fix the failure) or external (who else fixes it), or both",
    );
}

function checkTyped({ kind, path, type, params }: RawTyped, declared: readonly string[], report: Report): void {
  const at = [...path, type];
  if (isMapValue(params.target)) checkTarget(params.target, [...at, "target"], report);
  if (isMapValue(params.nodes)) checkNodes(params.nodes, [...at, "nodes"], report);
  checkNamespace(params.namespace, [...at, "namespace"], report);
  variableProblems(params, at, report, declared);
  pluginOf(kind, type)?.check?.(params, (rel, message) => report([...at, ...rel], message));
}

function checkTarget(target: Record<string, unknown>, path: Seg[], report: Report): void {
  const hasName = target.name !== undefined;
  const hasSelector = target.selector !== undefined;
  if (!hasName && !hasSelector) report(path, "needs name or selector (which objects of the kind)");
  if (hasName && hasSelector) report(path, "has both name and selector; set one of them");
  if (typeof target.name === "string" && target.name !== "" && unknownVariables(target.name).length === 0) {
    const problem = objectNameProblem(typeof target.kind === "string" ? target.kind : undefined, target.name);
    if (problem) report([...path, "name"], problem);
  }
  checkNamespace(target.namespace, [...path, "namespace"], report);
  if (typeof target.kind === "string" && target.apiVersion === undefined) {
    const kinds = knownKinds().map((k) => k.kind);
    if (!kinds.includes(target.kind)) {
      const near = closest(target.kind, kinds);
      report(
        [...path, "kind"],
        `unknown kind ${JSON.stringify(target.kind)}${near ? ` (did you mean "${near}"?)` : ""}; set apiVersion for a custom resource`,
      );
    }
  }
}

/** A namespace named in params (target.namespace, restartPods.namespace, ...) must be a DNS-1123 label. */
function checkNamespace(namespace: unknown, path: Seg[], report: Report): void {
  if (typeof namespace !== "string" || namespace === "" || unknownVariables(namespace).length > 0) return;
  const problem = namespaceNameProblem(namespace);
  if (problem) report(path, problem);
}

function checkNodes(nodes: Record<string, unknown>, path: Seg[], report: Report): void {
  if (
    nodes.names === undefined &&
    nodes.selector === undefined &&
    nodes.count === undefined &&
    nodes.hosting === undefined
  )
    report(path, "needs names, selector, hosting or count (which nodes)");
  if (nodes.names !== undefined && nodes.selector !== undefined)
    report(path, "has both names and selector; set one of them");
  if (Array.isArray(nodes.names))
    nodes.names.forEach((name, i) => {
      if (typeof name !== "string" || name === "" || unknownVariables(name).length > 0) return;
      const problem = objectNameProblem("Node", name);
      if (problem) report([...path, "names", i], problem);
    });
}
