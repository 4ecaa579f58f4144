import type { Probe, Step } from "../sdk/types.ts";
import { formatMs } from "../util/duration.ts";
import type { CatalogueEntry } from "./entries.ts";
import { fidelitySummary } from "./fidelity.ts";
import { describeNeed } from "../providers/capabilities.ts";

/**
 * `kubedrill describe`: the drill in words: the failure, what is set up, how the fault is
 * injected, how it is detected and remediated, the targets, and what is real or simulated
 * on each provider. The generated namespace is shown as <namespace>.
 */
export function describeEntry(e: CatalogueEntry): string {
  const b = e.built;
  const s = b.scenario.spec;
  const steps = (list: Step[]) => (list.length ? list.map((x, i) => `  ${i + 1}. ${x.describe()}`) : ["  (none)"]);
  const probes = (list: Probe[]) => (list.length ? list.map((p) => `  - ${p.describe()}`) : ["  (none)"]);
  const touches = s.requires.touches;
  const outside = [
    ...(touches?.kinds.length ? [`kinds ${touches.kinds.join(", ")}`] : []),
    ...(touches?.namespaces.length ? [`namespaces ${touches.namespaces.join(", ")}`] : []),
  ];
  const needs = [
    ...(s.requires.nodes ? [`${s.requires.nodes} Ready node(s)`] : []),
    ...(s.requires.capabilities ?? []),
  ];
  const lines = [
    `${e.name} (${e.origin}: ${e.file})`,
    "",
    `Failure:   ${e.failure}${e.catalogueRef ? ` (docs/failures.md ${e.catalogueRef})` : ""}`,
    ...(e.description && e.description !== e.failure ? [`           ${e.description}`] : []),
    `Tags:      ${e.tags.join(", ") || "(none)"}`,
    `Targets:   detected within ${formatMs(s.targets.detectWithinMs)} (TTD), recovered within ${formatMs(s.targets.recoverWithinMs)} (RTO), both from the fault`,
    `Requires:  ${needs.length ? needs.join(", ") : "any cluster"}; outside its namespace it changes ${outside.length ? outside.join("; ") : "nothing"}`,
    ...(s.requires.capabilities ?? []).map((c) => `           ${describeNeed(c)}`),
    ...(e.notes.length ? ["", "About (from the file):", ...e.notes.map((l) => `  ${l}`.trimEnd())] : []),
    "",
    "Setup (in a namespace of its own):",
    ...steps(b.setup),
    ...(b.waitFor.length ? [`  then waits up to ${formatMs(s.setup.timeoutMs)} for:`, ...probes(b.waitFor)] : []),
    "Steady state (holds before the fault):",
    ...probes(b.steadyState),
    ...(b.abortWhen.length
      ? ["Abort guards (one failing stops the attempt, everything reverted):", ...probes(b.abortWhen)]
      : []),
    "Fault (TTD and RTO count from its end):",
    ...steps(b.fault),
    `Detection (${s.detect.mode === "all" ? "every signal must be seen" : "the first signal counts"}):`,
    ...b.signals.map((d) => `  - ${d.describe()}`),
    "Remediation:",
    ...(b.remediate.length ? steps(b.remediate) : []),
    ...(s.remediate.external ? [`  waits for: ${s.remediate.external.description}`] : []),
    ...(b.remediate.length || s.remediate.external ? [] : ["  (none: waits for the cluster to heal itself)"]),
    `Recovery (${s.recover.holdForMs ? `held for ${formatMs(s.recover.holdForMs)}` : "all hold at once"}):`,
    ...probes(b.recover),
    ...(b.rpo.length ? ["Data kept (RPO):", ...probes(b.rpo)] : []),
    "",
    `Real or simulated, per provider (${fidelitySummary(e.fidelity)}):`,
    ...e.fidelity.flatMap((p) =>
      p.parts.length === 0
        ? [`  ${p.provider.padEnd(11)}real: every step, probe and signal`]
        : p.parts.map((x, i) => `  ${(i === 0 ? p.provider : "").padEnd(11)}${x.mode}: ${x.what}: ${x.note}`),
    ),
  ];
  return lines.join("\n").split(b.namespace).join("<namespace>");
}
