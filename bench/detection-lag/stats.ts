// Percentiles of the detection-lag samples, and the table the benchmark prints.

export interface Sample {
  /** Which change (changes.ts: name). */
  change: string;
  /** From the API server's acknowledgement of the write to the engine's sighting; undefined: never seen. */
  lagMs?: number;
  /** Of which the engine's own part: from the watch event's arrival to the sighting. */
  engineMs?: number;
}

export interface Figures {
  signals: number;
  missed: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function figures(values: readonly (number | undefined)[]): Figures {
  const seen = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  return {
    signals: values.length,
    missed: values.length - seen.length,
    p50: round(percentile(seen, 50)),
    p95: round(percentile(seen, 95)),
    p99: round(percentile(seen, 99)),
    max: round(seen.at(-1) ?? Number.NaN),
    min: round(seen[0] ?? Number.NaN),
    mean: round(seen.reduce((a, b) => a + b, 0) / (seen.length || 1)),
  };
}

/** Overall figures, the engine's part, and one line per kind of change. */
export function summarise(samples: readonly Sample[]): {
  lag: Figures;
  engine: Figures;
  byChange: Record<string, Figures>;
} {
  const kinds = [...new Set(samples.map((s) => s.change))];
  return {
    lag: figures(samples.map((s) => s.lagMs)),
    engine: figures(samples.map((s) => s.engineMs)),
    byChange: Object.fromEntries(
      kinds.map((k) => [k, figures(samples.filter((s) => s.change === k).map((s) => s.lagMs))]),
    ),
  };
}

/** A fixed-width table: one row per label. */
export function table(rows: readonly [string, Figures][]): string {
  const head = ["", "n", "missed", "p50", "p95", "p99", "max"];
  const body = rows.map(([label, f]) => [label, f.signals, f.missed, f.p50, f.p95, f.p99, f.max].map(String));
  const width = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join("  ");
  return [line(head), ...body.map(line)].join("\n");
}
