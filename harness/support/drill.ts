import { execa, type ResultPromise } from "execa";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { REPO } from "./cli.ts";

const BIN = fileURLToPath(new URL("../../bin/kubedrill.js", import.meta.url));

/** One JSON log line of `kubedrill --log-format json`. */
export interface LogLine {
  time: string;
  level: string;
  msg: string;
  phase?: string;
  scenario?: string;
  [field: string]: unknown;
}

/**
 * A `kubedrill run` started as a user would (`node bin/kubedrill.js`, or through `npx`),
 * with `--log-format json`, so that a test synchronises on the phase the run announces
 * (the `phase` field of its timeline lines), never on log wording.
 */
export class Drill {
  readonly child: ResultPromise;
  readonly lines: LogLine[] = [];
  readonly launcher: "node" | "npx";
  #waiters: { phase: string; resolve: (at: number) => void }[] = [];
  #phases = new Map<string, number>();

  constructor(args: string[], o: { launcher?: "node" | "npx"; env?: NodeJS.ProcessEnv } = {}) {
    this.launcher = o.launcher ?? "node";
    const argv = ["run", ...args, "--log-format", "json"];
    // forceKillAfterDelay: execa would follow a SIGTERM with a SIGKILL after 5 s, while
    // kubedrill is still reverting faults.
    const opts = { cwd: REPO, reject: false, forceKillAfterDelay: false, env: { ...process.env, ...o.env } } as const;
    this.child =
      this.launcher === "npx"
        ? execa("npx", ["--no-install", "kubedrill", ...argv], opts)
        : execa(process.execPath, [BIN, ...argv], opts);
    let partial = "";
    this.child.stderr!.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split("\n");
      partial = parts.pop()!;
      for (const raw of parts) this.#line(raw);
    });
  }

  #line(raw: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      return; // not a log line (a signal notice on stderr)
    }
    this.lines.push(line);
    if (typeof line.phase !== "string" || this.#phases.has(line.phase)) return;
    this.#phases.set(line.phase, Date.now());
    for (const w of this.#waiters.filter((x) => x.phase === line.phase)) w.resolve(Date.now());
    this.#waiters = this.#waiters.filter((x) => x.phase !== line.phase);
  }

  /** The latest phase the run has announced. */
  get phase(): string | undefined {
    return [...this.#phases.keys()].pop();
  }

  /** Resolves (with Date.now()) once the run announces `phase`; rejects if it ends first or after `timeoutMs`. */
  reached(phase: string, timeoutMs: number): Promise<number> {
    const seen = this.#phases.get(phase);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`phase ${phase} not reached in ${timeoutMs}ms`)), timeoutMs);
      this.#waiters.push({
        phase,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
      void this.child.then(() => {
        clearTimeout(timer);
        reject(new Error(`the run ended before phase ${phase} (last: ${this.phase ?? "none"})`));
      });
    });
  }

  /**
   * The kubedrill process itself: the child, or under npx the descendant running
   * bin/kubedrill.js (found through /proc).
   */
  kubedrillPid(): number | undefined {
    if (this.launcher === "node") return this.child.pid;
    const queue = [this.child.pid!];
    while (queue.length) {
      const pid = queue.shift()!;
      if (pid !== this.child.pid && cmdline(pid).includes("bin/kubedrill.js")) return pid;
      queue.push(...children(pid));
    }
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether a process is still there (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
