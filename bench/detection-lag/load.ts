// Starts the background load (load-writer.ts) in a namespace of its own and stops it.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Kube } from "../../src/k8s/kube.ts";
import { LABEL_MANAGED, LABEL_RUN_ID, MANAGED_BY } from "../../src/k8s/types.ts";

const WRITER = fileURLToPath(new URL("./load-writer.ts", import.meta.url));
const READY_TIMEOUT_MS = 600_000;

export interface Achieved {
  writes?: number;
  errors?: number;
  seconds?: number;
  perSecond?: number;
}

export async function startLoad(o: {
  kube: Kube;
  kubeconfig: string;
  runId: string;
  loadObjects: number;
  loadRate: number;
  loadKind: string;
}): Promise<{ readyMs: number; stop(): Promise<Achieved> }> {
  const namespace = `${o.runId}-load`;
  const labels = { [LABEL_RUN_ID]: o.runId, [LABEL_MANAGED]: MANAGED_BY };
  await o.kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels } });
  const args = [String(o.loadObjects), String(o.loadRate), o.loadKind];
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, o.kubeconfig, namespace, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => (await lines.next()).value as string | undefined;
  const stop = async (): Promise<Achieved> => {
    if (child.exitCode === null) child.kill("SIGTERM");
    const last = await next().catch(() => undefined);
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(kill);
    await o.kube.delete({ apiVersion: "v1", kind: "Namespace", name: namespace });
    return last ? (JSON.parse(last) as Achieved) : {};
  };
  const timer = setTimeout(() => child.kill("SIGTERM"), READY_TIMEOUT_MS);
  const ready = await next();
  clearTimeout(timer);
  if (!ready?.startsWith("ready ")) {
    await stop();
    throw new Error(`the load writer stopped before creating ${o.loadObjects} objects (exit ${child.exitCode})`);
  }
  return { readyMs: Number(ready.slice(6)), stop };
}
