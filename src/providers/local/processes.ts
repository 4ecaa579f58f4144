import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import net from "node:net";

export interface ProcessRecord {
  name: string;
  pid: number;
  /** The binary path, checked against /proc/<pid>/cmdline so a reused pid is not mistaken for ours. */
  binary: string;
  logFile: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Alive and not a zombie (an exited process its parent has not reaped yet). */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false; // gone between the two checks
  }
}

/** Alive and still running our binary (not a recycled pid). */
export function isOurs(p: ProcessRecord): boolean {
  if (!isAlive(p.pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, "utf8");
    if (cmdline.split("\0")[0] !== p.binary) return false;
    // a zombie still has a pid but is not running
    const stat = readFileSync(`/proc/${p.pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * Starts a long-running process in its own process group, detached from ours so it
 * outlives `kubedrill cluster up`; output goes to its log file.
 */
export function startProcess(
  name: string,
  binary: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ProcessRecord {
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(binary, args, { detached: true, stdio: ["ignore", fd, fd], env });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${binary})`);
    child.unref();
    return { name, pid: child.pid, binary, logFile };
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves when it is gone. */
export async function stopProcess(p: ProcessRecord, graceMs = 5000): Promise<void> {
  if (!isOurs(p)) return;
  signalGroup(p.pid, "SIGCONT"); // a paused (stopped-node) process cannot act on SIGTERM
  signalGroup(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isOurs(p) && Date.now() < deadline) await sleep(50);
  if (isOurs(p)) {
    signalGroup(p.pid, "SIGKILL");
    const hard = Date.now() + 5000;
    while (isOurs(p) && Date.now() < hard) await sleep(50);
  }
}

export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks the kernel for free loopback ports (held until all are chosen, so they differ). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => srv.listen(0, "127.0.0.1", resolve).on("error", reject));
      ports.push((srv.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
