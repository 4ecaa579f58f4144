/**
 * The verdict of one attempt, from its measurements. Passed only if every expected
 * signal was seen within the TTD target, recovery held within the RTO target, every RPO
 * probe passed and cleanup left nothing behind. Each reason names the target and by how
 * much it was missed.
 */
interface Measurements {
  mode: "all" | "any";
  /** First sighting (ms since fault start) of each expected signal, undefined if unseen. */
  signals: { describe: string; offsetMs: number | undefined; presentBefore?: boolean }[];
  ttdMs: number | null;
  ttdTargetMs: number;
  rtoMs: number | null;
  rtoTargetMs: number;
  /** How long after the fault start we stopped looking for signals / for recovery. */
  watchedMs: number;
  waitedMs: number;
  remediated: boolean;
  /** Probes still failing when recovery was given up (for the reason). */
  rpo: {
    describe: string;
    ok: boolean;
    message: string;
    /** An RPO counted in writes (acknowledgedWrites). */
    writes?: { acknowledged: number; lost: number | null; target: number };
  }[];
  leftovers: string[];
}

/** A measured value against its target. */
interface Verdict {
  /** Measured value, ms; null when never reached. */
  value: number | null;
  target: number;
  /** True when the value is missing or above the target. */
  missed: boolean;
  /** How far above the target, ms (0 when within; null when never reached). */
  overMs: number | null;
}

export function verdict(value: number | null, target: number): Verdict {
  if (value === null) return { value, target, missed: true, overMs: null };
  const overMs = Math.max(0, value - target);
  return { value, target, missed: overMs > 0, overMs };
}

/** `TTD 41250ms exceeded target 30000ms by 11250ms` when a measured value missed its target, else nothing. */
export function exceeded(label: "TTD" | "RTO", value: number | null, target: number): string[] {
  const v = verdict(value, target);
  return v.value !== null && v.missed ? [`${label} ${v.value}ms exceeded target ${target}ms by ${v.overMs}ms`] : [];
}

export function verdictReasons(m: Measurements): string[] {
  const reasons: string[] = [];
  if (m.signals.length > 0) {
    if (m.ttdMs === null) {
      if (m.mode === "any") {
        reasons.push(
          `none of ${m.signals.length} expected signal(s) seen within TTD target ${m.ttdTargetMs}ms (watched for ${m.watchedMs}ms)`,
        );
      } else {
        for (const s of m.signals.filter((x) => x.offsetMs === undefined)) {
          const before = s.presentBefore
            ? "; it was already present before the fault and never went away, so it says nothing about this fault"
            : "";
          reasons.push(
            `signal ${s.describe} not seen within TTD target ${m.ttdTargetMs}ms (watched for ${m.watchedMs}ms)${before}`,
          );
        }
      }
    } else {
      reasons.push(...exceeded("TTD", m.ttdMs, m.ttdTargetMs));
    }
  }
  if (m.rtoMs === null) {
    reasons.push(
      `not recovered within RTO target ${m.rtoTargetMs}ms (${m.remediated ? "" : "no remediation; "}waited ${m.waitedMs}ms)`,
    );
  } else {
    reasons.push(...exceeded("RTO", m.rtoMs, m.rtoTargetMs));
  }
  for (const r of m.rpo.filter((x) => !x.ok)) {
    const w = r.writes;
    if (w && w.lost !== null && w.lost > w.target)
      reasons.push(
        `RPO ${w.lost} acknowledged write(s) lost exceeded target ${w.target} (of ${w.acknowledged} acknowledged): ${r.message}`,
      );
    else if (w && w.lost === null)
      reasons.push(`RPO not measured: ${w.acknowledged} acknowledged write(s) could not be read back: ${r.message}`);
    else reasons.push(`RPO probe ${r.describe} failed: ${r.message}`);
  }
  if (m.leftovers.length > 0)
    reasons.push(`cleanup left ${m.leftovers.length} thing(s) behind: ${m.leftovers.join(", ")}`);
  return reasons;
}
