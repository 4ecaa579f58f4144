import { dirname } from "node:path";
import type { ClusterSnapshot, Finding } from "../diagnose/types.ts";
import type { Kube } from "../k8s/kube.ts";
import type { ResourceType } from "../k8s/types.ts";
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import type { Registries } from "../pipeline/registries.ts";
import type { SourceFiles } from "../pipeline/source-files.ts";
import { runProcess, type ProcessRunner } from "../util/process.ts";
import type { ClusterAccess, DataPlane, EvalContext, FetchFn, StepContext } from "../sdk/types.ts";
import type { Phase } from "../report/types.ts";
import type { Sighting } from "./detection.ts";
import type { ClusterView } from "./view.ts";
import { holdUntil } from "./monitor.ts";

/** Everything runScenario needs from outside; only kube, log and runId are required. */
export interface RunContext {
  kube: Kube;
  log: Logger;
  runId: string;
  clock?: Clock;
  /** Provider name for the report ("kind", "local", ...). */
  provider?: string;
  /** Node actions, capabilities, network ranges (a StartedCluster fits). */
  cluster?: ClusterAccess;
  /** Real or modelled data plane for connectivity/route probes. */
  dataPlane?: DataPlane;
  /** The diagnose analysers (analyseAll from src/diagnose/index.ts). */
  analyse?: (snapshot: ClusterSnapshot) => Finding[];
  /** Aborts the attempt: faults reverted, namespace deleted, status "aborted". */
  signal?: AbortSignal;
  /** false: skip remediation (--no-remediate). */
  remediate?: boolean;
  exec?: ProcessRunner;
  fetch?: FetchFn;
  /** 1-based attempt number under --repeat. */
  attempt?: number;
  /** Makes the namespace suffix (tests pass a fixed one). */
  newId?: () => string;
  /** The registries and files the pipeline checked the scenarios with; attempts are bound with the same. */
  registries?: Registries;
  sources?: SourceFiles;
  /** How long cleanup may wait for the namespace to disappear (default 120s). */
  cleanupTimeoutMs?: number;
  /** Told of an attempt's moments as they happen (tests synchronise on these, not on log text). */
  hooks?: RunHooks;
  /**
   * Called once an attempt that ended without error has undone everything it did (its
   * faults reverted, its objects deleted, what it changed restored) and only waits for the
   * deletions to finish (its namespace terminating). runSuite starts the next attempt then.
   */
  onUndone?: () => void;
}

/** Which attempt a hook is about. */
export interface AttemptId {
  scenario: string;
  /** 1-based, under --repeat. */
  attempt: number;
}

/** Moments of an attempt, reported as they happen; a hook must not throw. */
export interface RunHooks {
  /** The attempt entered a phase (as its timeline records it), at the clock's time. */
  phase?(phase: Phase, at: number, who: AttemptId): void;
  /** A detector saw its signal: a sighting that counts for the TTD. */
  signal?(sighting: Sighting, who: AttemptId): void;
}

export function evalContext(
  ctx: RunContext,
  o: { clock: Clock; log: Logger; view: ClusterView; namespace: string; file: string; signal: AbortSignal },
): EvalContext {
  const env: Record<string, string> = { KUBEDRILL_NAMESPACE: o.namespace, KUBEDRILL_RUN_ID: ctx.runId };
  if (ctx.cluster?.kubeconfigPath) env.KUBECONFIG = ctx.cluster.kubeconfigPath;
  return {
    view: o.view,
    namespace: o.namespace,
    runId: ctx.runId,
    clock: o.clock,
    log: o.log,
    signal: o.signal,
    exec: ctx.exec ?? runProcess,
    fetch: ctx.fetch ?? ((url, init) => fetch(url, init)),
    cwd: dirname(o.file),
    env,
    ...(ctx.analyse ? { analyse: ctx.analyse } : {}),
    ...(ctx.dataPlane ? { dataPlane: ctx.dataPlane } : {}),
  };
}

/** Where cleanup must look for leftovers: a type, in a namespace or cluster-wide. */
export interface LeftoverScope {
  type: ResourceType;
  namespace?: string;
}

export function stepContext(
  ctx: RunContext,
  base: EvalContext,
  touched: Map<string, LeftoverScope>,
  notRestored: string[] = [],
): StepContext {
  return {
    ...base,
    kube: ctx.kube,
    scenarioLabel: base.namespace,
    holdUntil: holdUntil(base),
    ownedNamespaces: new Set([base.namespace]),
    touched: (t, namespace) =>
      void touched.set(`${t.apiVersion}/${t.kind}@${namespace ?? ""}`, {
        type: { apiVersion: t.apiVersion, kind: t.kind },
        ...(namespace ? { namespace } : {}),
      }),
    notRestored: (what) => void notRestored.push(what),
    ...(ctx.cluster ? { cluster: ctx.cluster } : {}),
  };
}
