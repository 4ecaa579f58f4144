import { parseDuration } from "../util/duration.ts";
import type { SpecKind } from "./catalogue.ts";
import { fieldOf } from "./source.ts";
import type { Locator, Seg } from "./source.ts";
import { isMapValue } from "./typed.ts";
import type { ProbeSpec, Scenario, TypedSpec } from "./types.ts";

const DEFAULT_SETUP_TIMEOUT = "3m";

/* eslint-disable @typescript-eslint/no-explicit-any -- the input has passed schema and semantic checks */

/**
 * Turns a validated scenario document into the model: defaults applied, durations in
 * milliseconds, every step/probe/signal as `{ type, params, loc }`. The probes nested in
 * `wait.for` and `probeFails.probe` become ProbeSpecs too.
 */
export function toScenario(doc: any, file: string, locator: Locator): Scenario {
  const spec = doc.spec;
  const typed = (kind: SpecKind, items: unknown[] | undefined, path: Seg[]) =>
    (items ?? []).map((item, i) => toTyped(kind, item, [...path, i], locator));
  const steadyState = typed("probe", spec.steadyState, ["spec", "steadyState"]);
  return {
    file,
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata: {
      name: doc.metadata.name,
      ...(doc.metadata.description !== undefined ? { description: doc.metadata.description } : {}),
      tags: doc.metadata.tags ?? [],
    },
    spec: {
      requires: {
        ...(spec.requires?.nodes !== undefined ? { nodes: spec.requires.nodes } : {}),
        ...(spec.requires?.capabilities?.length ? { capabilities: [...spec.requires.capabilities] } : {}),
        touches: { kinds: spec.requires?.touches?.kinds ?? [], namespaces: spec.requires?.touches?.namespaces ?? [] },
      },
      targets: { detectWithinMs: ms(spec.targets.detectWithin), recoverWithinMs: ms(spec.targets.recoverWithin) },
      setup: {
        steps: typed("step", spec.setup?.steps, ["spec", "setup", "steps"]),
        waitFor: typed("probe", spec.setup?.waitFor, ["spec", "setup", "waitFor"]),
        timeoutMs: ms(spec.setup?.timeout ?? DEFAULT_SETUP_TIMEOUT),
      },
      steadyState,
      ...(spec.abortWhen?.length ? { abortWhen: typed("probe", spec.abortWhen, ["spec", "abortWhen"]) } : {}),
      fault: typed("step", spec.fault, ["spec", "fault"]),
      detect: {
        mode: spec.detect.mode ?? "all",
        signals: typed("signal", spec.detect.signals, ["spec", "detect", "signals"]),
      },
      remediate: {
        steps: typed("step", spec.remediate.steps, ["spec", "remediate", "steps"]),
        ...(spec.remediate.external ? { external: { description: spec.remediate.external.description } } : {}),
      },
      recover: {
        probes: spec.recover?.probes ? typed("probe", spec.recover.probes, ["spec", "recover", "probes"]) : steadyState,
        rpo: typed("probe", spec.recover?.rpo, ["spec", "recover", "rpo"]),
        holdForMs: spec.recover?.holdFor !== undefined ? ms(spec.recover.holdFor) : 0,
      },
    },
  };
}

function toTyped(kind: SpecKind, item: any, path: Seg[], locator: Locator): TypedSpec {
  const type = Object.keys(item)[0]!;
  const params: Record<string, unknown> = { ...item[type] };
  if (kind === "step" && type === "wait") {
    params.for = (params.for as unknown[]).map((p, i): ProbeSpec =>
      toTyped("probe", p, [...path, type, "for", i], locator),
    );
  }
  if (kind === "signal" && type === "probeFails" && isMapValue(params.probe)) {
    params.probe = toTyped("probe", params.probe, [...path, type, "probe"], locator);
  }
  return { type, params, loc: { file: locator.file, ...locator.at(path), field: fieldOf([...path, type]) } };
}

function ms(text: string): number {
  const value = parseDuration(text);
  if (value === undefined) throw new Error(`unvalidated duration ${JSON.stringify(text)}`);
  return value;
}
