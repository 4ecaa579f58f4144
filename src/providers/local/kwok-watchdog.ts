import type { KwokGroup } from "./kwok-groups.ts";

/**
 * Finds a kwok process that stalled at start: it logged that it watches its node(s) and
 * then nothing more, and none of its nodes has a Lease. Seen twice in CI (kwok v0.8.0):
 * every other kwok process took its node within a second, one never did, and the start
 * timed out after 60 s. A working kwok renews each node's Lease every few seconds and logs
 * it, so a log that has not grown for `stallMs` while a node still waits means no progress.
 *
 * Pure bookkeeping: the launcher feeds it log sizes and cluster state; it names the
 * processes to restart. Each process is named at most once: a second stall is left to the
 * start's time-out, whose message carries every log's tail.
 */
export class KwokWatchdog {
  private readonly seen = new Map<string, { size: number; since: number }>();
  private readonly restarted = new Set<string>();

  constructor(
    private readonly groups: readonly KwokGroup[],
    private readonly stallMs = 15_000,
  ) {}

  /** Records each process's log size at `now`; returns the processes silent for stallMs whose nodes are not all Ready. */
  silent(now: number, logSize: (process: string) => number, ready: ReadonlySet<string>): KwokGroup[] {
    const out: KwokGroup[] = [];
    for (const g of this.groups) {
      const size = logSize(g.process);
      const last = this.seen.get(g.process);
      if (!last || last.size !== size) {
        this.seen.set(g.process, { size, since: now });
        continue;
      }
      if (this.restarted.has(g.process)) continue;
      if (now - last.since >= this.stallMs && g.nodes.some((n) => !ready.has(n))) out.push(g);
    }
    return out;
  }

  /** Of the silent processes, those none of whose waiting nodes has a Lease: the ones to restart. */
  stalled(silent: KwokGroup[], ready: ReadonlySet<string>, leases: ReadonlySet<string>): StalledKwok[] {
    return silent.flatMap((g) => {
      const waiting = g.nodes.filter((n) => !ready.has(n));
      if (waiting.length === 0 || waiting.some((n) => leases.has(n))) return [];
      return [{ group: g, waiting }];
    });
  }

  /** A restarted process starts its silence count afresh, and is not restarted again. */
  noteRestart(process: string, now: number, logSize: number): void {
    this.restarted.add(process);
    this.seen.set(process, { size: logSize, since: now });
  }

  silenceMs(process: string, now: number): number {
    const last = this.seen.get(process);
    return last ? now - last.since : 0;
  }
}

export interface StalledKwok {
  group: KwokGroup;
  /** Its nodes not Ready yet. */
  waiting: string[];
}
