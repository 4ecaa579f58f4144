import { existsSync } from "node:fs";
import { UsageError, withContext } from "../errors.ts";
import { analyseAll, collectSnapshot, countBySeverity, type Finding, type Severity } from "../diagnose/index.ts";
import { createKube } from "../k8s/client.ts";
import { kubeconfigPath } from "../providers/shared/resolve-kubeconfig.ts";
import type { Logger } from "../util/log.ts";

export interface DiagnoseOptions {
  /** Default: $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  /** Only this namespace (cluster-scoped objects are always read); all namespaces otherwise. */
  namespace?: string;
  /** The cluster's Service and pod CIDRs, when they cannot be discovered. */
  serviceCidr?: string;
  podCidr?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Gets a warning for each analyser that failed (the others still report). */
  log?: Logger;
}

export interface Diagnosis {
  /** Most severe first. */
  findings: Finding[];
  counts: Record<Severity, number>;
}

/** What `kubedrill diagnose` reports, read-only: a snapshot of the cluster and every analyser's findings. */
export async function diagnose(o: DiagnoseOptions = {}): Promise<Diagnosis> {
  const { path } = kubeconfigPath({ kubeconfig: o.kubeconfig, env: o.env ?? process.env, cwd: o.cwd ?? process.cwd() });
  if (!existsSync(path)) throw new UsageError(`kubeconfig ${path} does not exist (set kubeconfig or $KUBECONFIG)`);
  const kube = createKube(path, o.context ? { context: o.context } : undefined);
  const network = {
    ...(o.serviceCidr ? { serviceCIDR: o.serviceCidr } : {}),
    ...(o.podCidr ? { podCIDR: o.podCidr } : {}),
  };
  const snapshot = await collectSnapshot(kube, { ...(o.namespace ? { namespace: o.namespace } : {}), network }).catch(
    (err: unknown) => {
      throw withContext("reading the cluster", err);
    },
  );
  const findings = analyseAll(snapshot, (err) => o.log?.warn(err.message));
  return { findings, counts: countBySeverity(findings) };
}
