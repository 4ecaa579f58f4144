import { readFileSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { ProcessRecord } from "../processes.ts";

/**
 * What real nodes created on the host, written to the cluster folder as each thing is
 * created (synchronously, so an interrupted `up` leaves an exact list) and removed by
 * that list alone, never by a name pattern.
 */
export interface LedgerData {
  processes: ProcessRecord[];
  /** cgroup v1 folders we created (absolute), in creation order. */
  cgroups: string[];
  /** Network links in the host's namespace. */
  hostLinks: string[];
  /** Loop devices attached to the nodes' disk images (absent in older ledgers). */
  loops?: { device: string; file: string }[];
  /** Mount points in the host's mount namespace (the nodes' disks). */
  mounts?: string[];
  /** Set once every node was started: a cluster whose `up` died half-way is not reused. */
  complete?: boolean;
}

export const ledgerFile = (clusterDir: string) => path.join(clusterDir, "real-nodes.json");

export class Ledger {
  readonly data: LedgerData;
  constructor(
    readonly file: string,
    data?: LedgerData,
  ) {
    this.data = data ?? { processes: [], cgroups: [], hostLinks: [] };
  }

  static read(clusterDir: string): Ledger | undefined {
    const file = ledgerFile(clusterDir);
    try {
      return new Ledger(file, JSON.parse(readFileSync(file, "utf8")) as LedgerData);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  add<K extends "processes" | "cgroups" | "hostLinks" | "loops" | "mounts">(
    kind: K,
    item: NonNullable<LedgerData[K]>[number],
  ): void {
    ((this.data[kind] ??= []) as unknown[]).push(item);
    this.save();
  }

  save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.data, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
