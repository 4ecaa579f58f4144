/**
 * Loading scenario files: YAML -> located problems or a Scenario (src/scenario/types.ts).
 *
 * The format (schema.json is the authority; `kubedrill schema` prints it):
 *
 *   apiVersion: kubedrill.io/v1alpha1
 *   kind: Scenario
 *   metadata: { name: quota-exhaustion, description: "...", tags: [scheduling, core] }
 *   spec:
 *     requires: { nodes: 6, touches: { kinds: [PriorityClass] } } # optional; see pipeline/scope.ts
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
import type { Locator } from "./source.ts";
import type { Scenario } from "./types.ts";

/** One scenario file's text checked (YAML, schema, semantics): the Scenario when it has no problems. */
export interface Analysis {
  scenario?: Scenario;
  problems: SourceProblem[];
  value?: unknown;
  locator?: Locator;
}

/**
 * Parses and validates one scenario's text without touching the file system (manifest
 * files named by `apply.path` are not checked). `file` is used in messages and, made
 * absolute, as Scenario.file.
 */
export function parseScenarioText(text: string, file: string): { scenario?: Scenario; problems: SourceProblem[] } {
  const { scenario, problems } = analyseScenario(text, file, resolve(file));
  return scenario ? { scenario, problems } : { problems };
}

/**
 * Parses and checks one scenario file's text (`file` as shown in messages, `absolute` as
 * Scenario.file); manifests and plug-in parameters are checked by src/pipeline/.
 */
export function analyseScenario(text: string, file: string, absolute: string): Analysis {
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
  problems.push(...schemaProblems(doc.value, doc.locator), ...semanticProblems(doc.value, doc.locator));
  const all = capProblems(sortProblems(problems));
  const scenario = all.length === 0 ? toScenario(doc.value, absolute, doc.locator) : undefined;
  return { scenario, problems: all, value: doc.value, locator: doc.locator };
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
