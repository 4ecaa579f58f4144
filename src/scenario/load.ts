/**
 * Loading scenario files: YAML -> located problems or a Scenario (src/scenario/types.ts).
 *
 * The format (schema.json is the authority; `kubedrill schema` prints it):
 *
 *   apiVersion: kubedrill.io/v1alpha1
 *   kind: Scenario
 *   metadata: { name: quota-exhaustion, description: "...", tags: [scheduling, core] }
 *   spec:
 *     variables: { replicas: { type: integer, default: 20 } }     # optional; ${replicas} below, --set replicas=5
 *     requires: { nodes: 6, touches: { kinds: [PriorityClass] } } # optional; see pipeline/scope.ts
 *       # capabilities: [authRegistry]   # optional; providers/capabilities.ts: skipped where the cluster lacks one
 *     targets: { detectWithin: 30s, recoverWithin: 2m }           # TTD and RTO targets
 *     setup:                                                      # optional
 *       steps: [ { apply: { path: manifests/shop.yaml } } ]       # paths relative to this file
 *       waitFor: [ { available: { target: { kind: Deployment, name: api } } } ]
 *       timeout: 2m                                               # default 3m
 *     steadyState: [ { podsReady: { selector: app=api } } ]
 *     fault: [ { scale: { target: { kind: Deployment, name: api }, replicas: 20 } } ]
 *     detect:
 *       mode: all                                                 # all (default) | any
 *       signals: [ { event: { involvedKind: Pod, reason: FailedScheduling, message: "Insufficient cpu" } } ]
 *     remediate:                                                  # steps and/or external
 *       steps: [ ... ]
 *       external: { description: "the autoscaler fixes it" }
 *     recover:                                                    # optional
 *       probes: [ ... ]                                           # default: steadyState
 *       rpo: [ ... ]                                              # default []
 *       holdFor: 2s                                               # default 0s
 *
 * Every step, probe and signal is a one-key map `{ <type>: params }` and becomes
 * `{ type, params, loc }`; loc points at the map (field `spec.fault[0].scale`). Params keep
 * their YAML values (durations stay strings, but are validated), except that the probes
 * in `wait.for` and `probeFails.probe` become ProbeSpecs too.
 */
import { resolve } from "node:path";
import type { SourceProblem } from "../errors.ts";
import { toScenario } from "./model.ts";
import { schemaProblems } from "./schemaCheck.ts";
import { semanticProblems } from "./semantics.ts";
import { parseYaml } from "./source.ts";
import { capProblems } from "./limits.ts";
import { applyVariables, type GivenValue } from "./declared.ts";
import type { Locator } from "./source.ts";
import type { Scenario } from "./types.ts";

/** One scenario file's text checked (YAML, schema, semantics): the Scenario when it has no problems. */
export interface Analysis {
  scenario?: Scenario;
  problems: SourceProblem[];
  /** The document, with spec.variables substituted. */
  value?: unknown;
  locator?: Locator;
  /** The names spec.variables declares. */
  declared?: string[];
}

/**
 * Parses and validates one scenario's text without touching the file system (manifest
 * files named by `apply.path` are not checked). `file` is used in messages and, made
 * absolute, as Scenario.file.
 */
export function parseScenarioText(
  text: string,
  file: string,
  given: readonly GivenValue[] = [],
): { scenario?: Scenario; problems: SourceProblem[] } {
  const { scenario, problems } = analyseScenario(text, file, resolve(file), given);
  return scenario ? { scenario, problems } : { problems };
}

/**
 * Parses and checks one scenario file's text (`file` as shown in messages, `absolute` as
 * Scenario.file); manifests and plug-in parameters are checked by src/pipeline/. The
 * variables of spec.variables take their `given` values (or defaults) and are substituted
 * before the schema check, so a `${replicas}` becomes an integer where one is expected.
 */
export function analyseScenario(
  text: string,
  file: string,
  absolute: string,
  given: readonly GivenValue[] = [],
): Analysis {
  const { documents, problems } = parseYaml(text, file);
  const nonEmpty = documents.filter((d) => !d.empty);
  if (nonEmpty.length > 1) {
    const { line, column } = nonEmpty[1]!.start;
    problems.push({
      file,
      line,
      column,
      field: "",
      message: `holds ${nonEmpty.length} YAML documents; a scenario file holds exactly one`,
    });
  }
  const doc = nonEmpty[0];
  if (problems.length === 0 && !doc)
    problems.push({
      file,
      line: 1,
      column: 1,
      field: "",
      message: "is empty; expected a Scenario (apiVersion, kind, metadata, spec)",
    });
  if (!doc || doc.value === undefined) return { problems: capProblems(sortProblems(problems)) };
  const vars = applyVariables(doc.value, doc.locator, given);
  problems.push(
    ...vars.problems,
    // A field still holding a variable without a value has that one problem (said above, or
    // as an unknown variable by the semantic checks), not also the schema's complaint.
    ...schemaProblems(vars.value, doc.locator).filter((p) => !vars.unresolved.has(p.field)),
    ...semanticProblems(vars.value, doc.locator).filter(
      (p) => !vars.unresolved.has(p.field) || p.message.startsWith("uses ${"),
    ),
  );
  const all = capProblems(sortProblems(problems));
  const model = all.length === 0 ? toScenario(vars.value, absolute, doc.locator) : undefined;
  const scenario =
    model && vars.declared.length > 0 ? { ...model, spec: { ...model.spec, variables: vars.values } } : model;
  return { scenario, problems: all, value: vars.value, locator: doc.locator, declared: vars.declared };
}

/** Problems without repeats, by file position. */
function sortProblems(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.file}:${p.line}:${p.column}:${p.field}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
