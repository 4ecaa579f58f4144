import { readFileSync } from "node:fs";
import path from "node:path";
import type { Kube } from "../../src/k8s/kube.ts";
import { kubedrill } from "../../harness/support/cli.ts";
import { alive, Drill } from "../../harness/support/drill.ts";
import { leftovers } from "../../harness/support/leftovers.ts";
import { agrees, type Trial, type TrialResult } from "./plan.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await sleep(250);
  }
}

function readJson(file: string): { status?: string } | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as { status?: string };
  } catch {
    return null;
  }
}

function junitCounts(file: string): TrialResult["junit"] {
  try {
    const head = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(readFileSync(file, "utf8"));
    return head ? { tests: Number(head[1]), failures: Number(head[2]), errors: Number(head[3]) } : null;
  } catch {
    return null;
  }
}

/**
 * One trial: start `kubedrill run` on the scenario, wait for the run to announce the phase
 * (its JSON log lines), interrupt it the trial's way, wait for it to end (and for
 * `kubedrill cleanup` after a SIGKILL), then for the cluster to hold nothing of it.
 */
export async function runTrial(
  t: Trial,
  o: { cluster: string; kube: Kube; reportDir: string; phaseTimeoutMs?: number; settleMs?: number },
): Promise<TrialResult> {
  const dir = path.join(o.reportDir, `${t.scenario}-${t.phase}-${t.way}`);
  const args = [`scenarios/${t.scenario}.yaml`, "--provider", "local", "--name", o.cluster, "--report-dir", dir];
  const d = new Drill(args, { launcher: t.way === "npx-SIGTERM" ? "npx" : "node" });
  const base = { ...t, junit: null, leftovers: [], cleanMs: null };
  try {
    await d.reached(t.phase, o.phaseTimeoutMs ?? 300_000);
  } catch (err) {
    const r = await d.child;
    return {
      ...base,
      phaseAtSignal: null,
      exitCode: r.exitCode ?? null,
      reportStatus: null,
      agrees: false,
      note: (err as Error).message,
    };
  }
  const phaseAtSignal = d.phase ?? null;
  const pid = d.kubedrillPid();
  const signalAt = Date.now();
  let note: string | undefined;
  if (t.way === "SIGINT" || t.way === "SIGTERM") d.child.kill(t.way);
  else if (t.way === "npx-SIGTERM") d.child.kill("SIGTERM");
  else if (pid !== undefined) process.kill(pid, "SIGKILL");
  const r = await d.child;
  // Under npx the launcher is gone at once; kubedrill notices and cleans up on its own.
  if (pid !== undefined && !(await until(600_000, () => !alive(pid)))) note = `kubedrill (pid ${pid}) still running`;
  if (t.way === "SIGKILL+cleanup") {
    const c = await kubedrill(["cleanup", "--name", o.cluster]);
    if (c.exitCode !== 0) note = `kubedrill cleanup exited ${c.exitCode}: ${c.all.slice(-300)}`;
  }
  const clean = await until(o.settleMs ?? 120_000, async () => (await leftovers(o.kube)).length === 0);
  const cleanMs = clean ? Date.now() - signalAt : null;
  const left = clean ? [] : await leftovers(o.kube);
  const reportStatus = readJson(path.join(dir, "report.json"))?.status ?? null;
  const junit = junitCounts(path.join(dir, "junit.xml"));
  const exitCode = r.exitCode ?? null;
  return {
    ...t,
    phaseAtSignal,
    exitCode,
    reportStatus,
    junit,
    agrees: agrees(t.way, exitCode, reportStatus, junit),
    leftovers: left,
    cleanMs,
    ...(note ? { note } : {}),
  };
}
