import { readFileSync, readdirSync } from "node:fs";
import { execa } from "execa";

/** A running process of the pod with this UID (its cgroup path names `pod<uid>`), to enter its network namespace. */
export function podPid(uid: string): number {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cgroup`, "utf8").includes(`/pod${uid}/`)) return Number(pid);
    } catch {
      // exited while we looked
    }
  }
  throw new Error(`no process of pod ${uid} found under /proc`);
}

export type Probe = "connected" | "timeout" | "refused" | string;

/**
 * One TCP connection attempt from inside the pod's network namespace (a node.js one-liner
 * entered with nsenter: no kubectl exec round trip, so each probe takes milliseconds).
 */
export async function connectFromPod(pid: number, ip: string, port: number, timeoutMs: number): Promise<Probe> {
  const script = `const s = require("net").connect(${port}, ${JSON.stringify(ip)});
s.setTimeout(${timeoutMs}, () => { console.log("timeout"); process.exit(0); });
s.on("connect", () => { console.log("connected"); process.exit(0); });
s.on("error", (e) => { console.log(e.code === "ECONNREFUSED" ? "refused" : e.code); process.exit(0); });`;
  const r = await execa("nsenter", ["-t", String(pid), "-n", "--", process.execPath, "-e", script]);
  return r.stdout.trim();
}

/**
 * Resolves `name` (A record) against `server` from inside the pod's network namespace,
 * `times` times; returns the addresses of the last answer and each lookup's duration.
 */
export async function lookupFromPod(
  pid: number,
  server: string,
  name: string,
  times: number,
): Promise<{ addresses: string[]; ms: number[] }> {
  const script = `const r = new (require("dns").promises.Resolver)({ timeout: 2000, tries: 1 });
r.setServers([${JSON.stringify(server)}]);
(async () => { const ms = []; let addresses = [];
  for (let i = 0; i < ${times}; i++) { const t = performance.now(); addresses = await r.resolve4(${JSON.stringify(name)}); ms.push(performance.now() - t); }
  console.log(JSON.stringify({ addresses, ms }));
})().catch((e) => { console.log(JSON.stringify({ error: e.code })); });`;
  const r = await execa("nsenter", ["-t", String(pid), "-n", "--", process.execPath, "-e", script]);
  const out = JSON.parse(r.stdout.trim()) as { addresses: string[]; ms: number[]; error?: string };
  if (out.error) throw new Error(`looking up ${name} at ${server} from pid ${pid}: ${out.error}`);
  return out;
}

/** Probes back to back until `done` holds; returns the milliseconds that took, or fails at `limitMs`. */
export async function elapsedUntil(what: string, limitMs: number, done: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await done()) return Date.now() - start;
    if (Date.now() - start > limitMs)
      throw new Error(`${what}: not reached after ${Date.now() - start}ms (limit ${limitMs}ms)`);
  }
}
