/**
 * The engine's plug-in contracts. Every scenario `type:` name maps to a factory that
 * returns one of these (src/pipeline/registries.ts):
 *
 * - Step (setup, fault and remediate steps): `inject()` makes a change and returns a
 *   handle whose idempotent `revert()` undoes it. The runner pushes every handle on one
 *   AsyncStack, so whatever happens the changes are undone newest first.
 * - Probe (steady state, setup.waitFor, recover, rpo): a yes/no question about the
 *   cluster, answered from the watch-fed ClusterView, re-asked when a watch event of one
 *   of its `kinds` arrives. Probes with `pollIntervalMs` (command, http, data plane) are
 *   also re-asked on a timer. Evaluations are coalesced (src/engine/slot.ts).
 * - Detector (detect.signals): a state detector looks at the current state when a change
 *   of its kinds arrives (or when polled); a `perChange` one (events) judges each change
 *   itself. See src/engine/detection.ts for when a Signal counts and how it is stamped.
 */
import type { Clock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import type { Kube } from "../k8s/kube.ts";
import type { KObject, Need, ResourceType, WatchEventType } from "../k8s/types.ts";
import type { ClusterSnapshot, Finding } from "../diagnose/types.ts";
import type { StartedCluster } from "../providers/provider.ts";
import type { SourceLoc } from "../scenario/types.ts";
import type { ProcessRunner } from "../util/process.ts";
import type { DataPlane } from "../dataplane/types.ts";

export type { Need } from "../k8s/types.ts";
export type {
  ConnectivityParams,
  DataPlane,
  DataPlaneAnswer,
  DataPlaneContext,
  LoadMeasurement,
  LoadParams,
  ProbeResult,
  RequestParams,
  RouteParams,
  WriteCount,
} from "../dataplane/types.ts";
import type { ProbeResult } from "../dataplane/types.ts";

/** One change to the watch cache: a watch event, or "SYNC" after a list filled a store. */
export interface ViewChange {
  type: WatchEventType | "SYNC";
  resource: ResourceType;
  object?: KObject;
  /** From the WatchEvent (ms since epoch), or the clock when a list completed. */
  receivedAt: number;
}

/** The watch-fed cache as plug-ins see it (src/engine/view.ts implements it). */
export interface ClusterView {
  /** Lists and watches whatever of `needs` is not yet covered. */
  ensure(needs: readonly Need[]): Promise<void>;
  list(type: ResourceType, namespace?: string): KObject[];
  get(type: ResourceType, name: string, namespace?: string): KObject | undefined;
  snapshot(namespace?: string): ClusterSnapshot;
  /** Calls `listener` for every change of the watched types; returns the unsubscribe. */
  subscribe(listener: (change: ViewChange) => void): () => void;
}

/** What the runner knows of the cluster besides the Kube (a StartedCluster fits). */
export type ClusterAccess = Pick<StartedCluster, "actions" | "capabilities" | "network"> & { kubeconfigPath?: string };

export type FetchFn = (
  input: string,
  init?: { signal?: AbortSignal; method?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

/** What probes and detectors see when they are evaluated. */
export interface EvalContext {
  view: ClusterView;
  /** The scenario's generated namespace. */
  namespace: string;
  runId: string;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  analyse?: (snapshot: ClusterSnapshot) => Finding[];
  dataPlane?: DataPlane;
  exec: ProcessRunner;
  fetch: FetchFn;
  /** Folder of the scenario file (commands run there). */
  cwd: string;
  /** Extra environment for commands: KUBECONFIG, KUBEDRILL_NAMESPACE, KUBEDRILL_RUN_ID. */
  env: Record<string, string>;
}

/** What steps get: the evaluation context plus the power to change things. */
export interface StepContext extends EvalContext {
  kube: Kube;
  cluster?: ClusterAccess;
  /** Label value of kubedrill.io/scenario on everything this attempt creates. */
  scenarioLabel: string;
  /**
   * Waits on watch events until every probe holds, or until `deadline` (clock ms) passes:
   * `at` is when they first all held; otherwise `failures` says what still does not hold.
   */
  holdUntil(probes: readonly Probe[], deadline: number): Promise<{ at?: number; failures: string[] }>;
  /** Namespaces this attempt owns (objects in them go away with them). */
  ownedNamespaces: ReadonlySet<string>;
  /**
   * Reports a type of which the step labelled objects outside the attempt's namespace
   * (cluster-scoped: no namespace); cleanup checks those for leftovers.
   */
  touched(type: ResourceType, namespace?: string): void;
  /** Adds a line to the attempt's timeline (e.g. a revert that had to recreate an object). */
  note?(what: string, level?: "info" | "warn"): void;
  /**
   * Says what a revert could not bring back as it was (an object recreated with a new uid,
   * one left to its controller to recreate under a new name): the run's timeline and report
   * say so instead of "cleanup complete".
   */
  notRestored(what: string): void;
}

/** Undoes one step; revert() is idempotent; disposing reverts. */
export interface FaultHandle extends AsyncDisposable {
  revert(): Promise<void>;
  /** True when the step's effect is modelled (e.g. a simulated full disk). */
  readonly simulated?: boolean;
}

export interface Step {
  describe(): string;
  /** What the step itself waits on through the view (the `wait` step). */
  readonly kinds?: Need[];
  inject(ctx: StepContext): Promise<FaultHandle>;
}

/** Fault and Remediation are both steps; the names say where they are used. */
export type Fault = Step;
export type Remediation = Step;

export interface Probe {
  describe(): string;
  readonly kinds: Need[];
  /** Set for probes nothing can be watched for: they are re-evaluated at this interval. */
  readonly pollIntervalMs?: number;
  evaluate(ctx: EvalContext): ProbeResult | Promise<ProbeResult>;
  /**
   * For a probe that must watch the whole attempt (acknowledgedWrites keeps writing): the
   * runner starts it when the steady state begins and stops it before the verify phase
   * evaluates spec.recover.rpo, and on every other way out (the attempt's AsyncStack).
   */
  start?(ctx: EvalContext): StartedProbe;
}

/** A probe's background work; `stop()` is idempotent and settles once the work has ended. */
export interface StartedProbe {
  stop(): Promise<void>;
}

/** One observation that satisfied a detector. */
export interface Signal {
  /** "event", "condition", "field", "taint", "finding", "probe". */
  kind: string;
  /** What was seen, verbatim where it came from the cluster. */
  text: string;
  simulated: boolean;
  /** When it was seen; defaults to the change's receivedAt (per-change) or the evaluation's stamp. */
  at?: number;
  /**
   * When it happened by the cluster's own clock (an Event's newest timestamp), if known;
   * a signal that happened well before the fault start does not count.
   */
  occurredAt?: number;
}

export interface Detector {
  describe(): string;
  readonly kinds: Need[];
  readonly pollIntervalMs?: number;
  /**
   * True when match() judges the change itself (an Event) rather than the cached state:
   * it is then called for every change of its kinds, with no baseline. Otherwise it is a
   * state detector (evaluated on changes of its kinds, coalesced, with a pre-fault baseline).
   */
  readonly perChange?: boolean;
  /** `change` is undefined when called by the poller or for the baseline. */
  match(ctx: EvalContext, change: ViewChange | undefined): Signal | undefined | Promise<Signal | undefined>;
}

/** Given to factories while a scenario is built (before any cluster work). */
export interface BuildEnv {
  namespace: string;
  runId: string;
  /** Cluster facts for `${name}` substitution, e.g. provisioner. */
  vars?: Readonly<Record<string, string>>;
  /** Absolute path of the scenario file. */
  file: string;
  /** Its folder; relative paths in steps resolve against it. */
  dir: string;
  loc: SourceLoc;
  /** Builds a nested probe (`wait.for`, `probeFails.probe`). */
  probe(spec: unknown, field: string): Probe;
  /**
   * The objects of a manifest file (`path` relative to `dir`), as written (no substitution),
   * from the run's files: each is read and checked once per run. Throws a ValidationError.
   */
  manifests(path: string): Manifest[];
}

export type Factory<T> = (params: Record<string, unknown>, env: BuildEnv) => T;

/** One object an `apply` step applies, with where it was written. */
export interface Manifest {
  object: KObject;
  /** `manifests/app.yaml:12:1` or the scenario field of an inline object. */
  origin: string;
}
