import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterError } from "../../../errors.ts";
import type { Kube } from "../../../k8s/kube.ts";
import type { KObject } from "../../../k8s/types.ts";
import { RUNNING_COMPILED } from "../../../util/package-root.ts";
import type { ProcessRecord } from "../processes.ts";
import { kubeconfigFile } from "../paths.ts";
import { createCgroup, joinFiles } from "./cgroups.ts";
import { INGRESS_CLASS, INGRESS_CONTROLLER } from "./ingress-nginx.ts";
import type { Ledger } from "./ledger.ts";
import { spawnRecorded, untilExecd } from "./spawn.ts";

export const INGRESS_PORT = 80;

/** The IngressClass kind's ingress-nginx install creates, so scenario files need no change. */
export function ingressClassObject(): KObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name: INGRESS_CLASS, labels: { "app.kubernetes.io/managed-by": "kubedrill-local" } },
    spec: { controller: INGRESS_CONTROLLER },
  } as KObject;
}

/**
 * Starts the Ingress controller (src/providers/local/nodes/ingress-main.ts and its nginx) in
 * the router namespace, listening on the router's bridge address, and returns once nginx
 * answers there. Its cgroup holds nginx too, so cleanup finds it even if the controller died.
 */
export async function startIngressController(o: {
  ledger: Ledger;
  kube: Kube;
  dir: string;
  cgroup: string;
  router: ProcessRecord;
  address: string;
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}): Promise<ProcessRecord> {
  await o.kube.create(ingressClassObject());
  const folder = path.join(o.dir, "ingress");
  mkdirSync(folder, { recursive: true });
  const rel = `${o.cgroup}/ingress`;
  createCgroup(o.ledger, rel);
  const main = fileURLToPath(new URL(RUNNING_COMPILED ? "./ingress-main.js" : "./ingress-main.ts", import.meta.url));
  const p = spawnRecorded(
    o.ledger,
    {
      name: "ingress-controller",
      binary: process.execPath,
      args: [
        ...(RUNNING_COMPILED ? ["--enable-source-maps"] : ["--import", import.meta.resolve("tsx")]),
        main,
        kubeconfigFile(o.dir),
        `${o.address}:${INGRESS_PORT}`,
        folder,
      ],
      logFile: path.join(o.dir, "ingress-controller.log"),
      cgroupProcs: joinFiles(rel),
      enter: { pid: o.router.pid, mount: false },
    },
    o.env,
  );
  await untilExecd(p);
  const url = `http://${o.address}:${INGRESS_PORT}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await (o.fetch ?? fetch)(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 404) return p;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new ClusterError(`the Ingress controller did not answer on ${url} within 30s; see ${p.logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
