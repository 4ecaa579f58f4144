import { durationStats } from "./stats.ts";
import { worst } from "./status.ts";
import type { ScenarioAggregate, ScenarioRun } from "./types.ts";

/** Which scenario an aggregate is about, and its targets. */
export interface AggregateKey {
  name: string;
  file: string;
  targets: { ttdMs: number; rtoMs: number };
}

/** One key per scenario (name and file), in the order its attempts first appear, with the first attempt's targets. */
function keysOf(runs: readonly ScenarioRun[]): AggregateKey[] {
  const keys: AggregateKey[] = [];
  for (const r of runs)
    if (!keys.some((k) => k.name === r.name && k.file === r.file))
      keys.push({ name: r.name, file: r.file, targets: r.targets });
  return keys;
}

/**
 * The per-scenario aggregates of a run: attempts, passes, worst status, and median / p95 /
 * max of TTD and RTO. One per key that has attempts, in the keys' order. The only place
 * aggregates are computed: the report holds them and the reporters show them as they are.
 */
export function aggregate(
  runs: readonly ScenarioRun[],
  keys: readonly AggregateKey[] = keysOf(runs),
): ScenarioAggregate[] {
  return keys.flatMap((k) => {
    const mine = runs.filter((r) => r.name === k.name && r.file === k.file);
    if (mine.length === 0) return [];
    return [
      {
        name: k.name,
        runs: mine.length,
        passed: mine.filter((r) => r.status === "passed").length,
        status: worst(mine.map((r) => r.status)),
        ttd: durationStats(mine.map((r) => r.ttdMs)),
        rto: durationStats(mine.map((r) => r.rtoMs)),
        targets: { ...k.targets },
      },
    ];
  });
}
