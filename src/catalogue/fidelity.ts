import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pluginOf, type SpecKind } from "../scenario/catalogue.ts";
import type { Scenario, TypedSpec } from "../scenario/types.ts";
import { FIDELITY_PROVIDERS, type FidelityProvider } from "../sdk/plugin.ts";
import { CAPABILITIES } from "../providers/capabilities.ts";

/** skipped: the provider lacks a capability the scenario requires, so it does not run there at all. */
export type FidelityMode = "real" | "simulated" | "limited" | "unavailable" | "skipped";

/** One part of a scenario that is not plainly real on a provider. */
export interface FidelityPart {
  /** `connectivity probe`, `fillDisk step`, `annotation kubedrill.io/simulate-exit-code`. */
  what: string;
  mode: Exclude<FidelityMode, "real">;
  note: string;
}

/** What a scenario does for real, and what not, on one provider. */
export interface ProviderFidelity {
  provider: FidelityProvider;
  /** The worst of its parts: skipped > unavailable > limited > simulated > real. */
  mode: FidelityMode;
  parts: FidelityPart[];
}

/**
 * Pods carrying this annotation crash with the given exit code on the local cluster's kwok
 * nodes (src/providers/local/kwok/stages.yaml); real kubelets ignore it.
 */
export const SIMULATE_EXIT_CODE = "kubedrill.io/simulate-exit-code";

const RANK: Record<FidelityMode, number> = { real: 0, simulated: 1, limited: 2, unavailable: 3, skipped: 4 };

/**
 * Per provider, the parts of a scenario that are simulated, limited or unavailable there:
 * read from the `fidelity` of every step, probe and signal type it uses (src/sdk/plugin.ts,
 * nested probes included) and from the model hooks in the objects it applies. Where the
 * provider lacks a capability the scenario requires (src/providers/capabilities.ts) the
 * scenario is skipped there, and that is all that is said; where the provider finds out at
 * start, it is limited to clusters that have it.
 */
export function scenarioFidelity(scenario: Scenario): ProviderFidelity[] {
  const used = new Map<string, { kind: SpecKind; type: string }>();
  for (const t of specsOf(scenario)) used.set(`${t.kind}/${t.type}`, t);
  const exitCode = usesAnnotation(scenario, SIMULATE_EXIT_CODE);
  return FIDELITY_PROVIDERS.map((provider) => {
    const needs = (scenario.spec.requires.capabilities ?? []).map((name) => ({
      name,
      ...CAPABILITIES[name].on[provider],
    }));
    const lacking = needs.filter((n) => n.has === "no");
    if (lacking.length > 0)
      return {
        provider,
        mode: "skipped",
        parts: lacking.map((n) => ({ what: `requires.capabilities ${n.name}`, mode: "skipped", note: n.how })),
      };
    const parts: FidelityPart[] = needs
      .filter((n) => n.has === "discovered")
      .map((n) => ({
        what: `requires.capabilities ${n.name}`,
        mode: "limited",
        note: `skipped unless found at start: it runs ${n.how}`,
      }));
    for (const { kind, type } of used.values()) {
      const f = pluginOf(kind, type)?.fidelity?.[provider];
      if (f) parts.push({ what: `${type} ${kind}`, mode: f.mode, note: f.note });
    }
    if (exitCode && provider === "kwok")
      parts.push({
        what: `annotation ${SIMULATE_EXIT_CODE}`,
        mode: "simulated",
        note: "the kwok kubelet ends the container with the annotated exit code; real kubelets ignore the annotation",
      });
    const mode = parts.reduce<FidelityMode>((m, p) => (RANK[p.mode] > RANK[m] ? p.mode : m), "real");
    return { provider, mode, parts };
  });
}

/** `local simulated, kind real, ...`: one provider per item. */
export function fidelitySummary(f: readonly ProviderFidelity[]): string {
  return f.map((p) => `${p.provider} ${p.mode}`).join(", ");
}

/** Every step, probe and signal of a scenario, with the probes nested in `wait` and `probeFails`. */
export function* specsOf(s: Scenario): Generator<{ kind: SpecKind; type: string; params: Record<string, unknown> }> {
  const lists: [SpecKind, TypedSpec[]][] = [
    ["step", s.spec.setup.steps],
    ["probe", s.spec.setup.waitFor],
    ["probe", s.spec.steadyState],
    ["probe", s.spec.abortWhen ?? []],
    ["step", s.spec.fault],
    ["signal", s.spec.detect.signals],
    ["step", s.spec.remediate.steps],
    ["probe", s.spec.recover.probes],
    ["probe", s.spec.recover.rpo],
  ];
  for (const [kind, list] of lists) {
    for (const t of list) {
      yield { kind, type: t.type, params: t.params };
      const nested = t.type === "wait" ? t.params.for : t.type === "probeFails" ? [t.params.probe] : [];
      for (const n of Array.isArray(nested) ? nested : []) {
        const [type, params] = Object.entries((n ?? {}) as Record<string, unknown>)[0] ?? [];
        if (type) yield { kind: "probe", type, params: (params ?? {}) as Record<string, unknown> };
      }
    }
  }
}

/** Whether an object the scenario applies (inline or from a manifest file) sets the annotation. */
function usesAnnotation(s: Scenario, key: string): boolean {
  const setsIt = (v: unknown, depth = 0): boolean => {
    if (depth > 64 || typeof v !== "object" || v === null) return false;
    if (!Array.isArray(v) && (v as Record<string, unknown>)[key] != null) return true;
    return Object.values(v).some((c) => setsIt(c, depth + 1));
  };
  for (const t of specsOf(s)) {
    if (setsIt(t.params)) return true;
    if (t.type === "apply" && typeof t.params.path === "string") {
      try {
        if (readFileSync(resolve(dirname(s.file), t.params.path), "utf8").includes(key)) return true;
      } catch {
        // an unreadable manifest is validation's problem, not the catalogue's
      }
    }
  }
  return false;
}
