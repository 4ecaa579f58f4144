import { PHASES, type PhaseTimes, type RunTiming, type ScenarioRun } from "./types.ts";

/**
 * Wall time per phase from the moments each phase was entered (in order, as the timeline
 * records them): each phase lasts until the next one starts, the last until `end`. A phase
 * entered twice counts both stretches; the result adds up to `end` minus the first entry.
 */
export function phaseTimes(
  entered: readonly { phase: (typeof PHASES)[number]; at: number }[],
  end: number,
): PhaseTimes {
  const out: PhaseTimes = {};
  for (const [i, e] of entered.entries()) {
    const until = entered[i + 1]?.at ?? end;
    out[e.phase] = (out[e.phase] ?? 0) + Math.max(0, until - e.at);
  }
  return out;
}

/** The phases summed over attempts, in PHASES order (only those some attempt entered). */
function sumPhases(runs: readonly ScenarioRun[]): PhaseTimes {
  const out: PhaseTimes = {};
  for (const p of PHASES)
    for (const r of runs) {
      const ms = r.phasesMs?.[p];
      if (ms !== undefined) out[p] = (out[p] ?? 0) + ms;
    }
  return out;
}

/**
 * The most attempts under way at one moment: at each attempt's start, those started by then
 * and not yet finished (one that ends as another starts does not overlap it); at least 1.
 */
function maxConcurrent(runs: readonly ScenarioRun[]): number {
  const spans = runs.map((r) => ({ start: Date.parse(r.startedAt), end: Date.parse(r.finishedAt) }));
  let most = spans.length ? 1 : 0;
  for (const { start: t } of spans) most = Math.max(most, spans.filter((s) => s.start <= t && t < s.end).length);
  return most;
}

export interface TimingInput {
  /** When the run began: the start of the cluster start, or the suite's own start. */
  wallStart: number;
  finishedAt: number;
  clusterStartMs?: number;
  startupMs: number;
}

/** The run's RunTiming, from its attempts (their phasesMs, TTD and RTO) and the moments given. */
export function runTiming(runs: readonly ScenarioRun[], o: TimingInput): RunTiming {
  const ran = runs.filter((r) => r.phasesMs !== undefined);
  const wallMs = Math.max(0, o.finishedAt - o.wallStart);
  const ttdRtoMs = runs.reduce((sum, r) => sum + (r.ttdMs ?? 0) + (r.rtoMs ?? 0), 0);
  return {
    ...(o.clusterStartMs !== undefined ? { clusterStartMs: o.clusterStartMs } : {}),
    startupMs: o.startupMs,
    phasesMs: sumPhases(ran),
    attemptsMs: ran.reduce((sum, r) => sum + Date.parse(r.finishedAt) - Date.parse(r.startedAt), 0),
    ttdRtoMs,
    wallMs,
    overheadMs: wallMs - ttdRtoMs,
    maxConcurrent: maxConcurrent(ran),
  };
}
