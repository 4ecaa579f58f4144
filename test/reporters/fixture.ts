/**
 * Realistic RunReports for the reporter tests: what a run of the core scenarios on a kind
 * cluster looks like, including every status, target misses, simulated evidence and a
 * --repeat 3 run, with aggregates computed by the report model as the engine's are.
 */
import { skippedRun } from "../../src/engine/skip.ts";
import { aggregate } from "../../src/report/aggregate.ts";
import { worst } from "../../src/report/status.ts";
import { scenario } from "../fakes/scenario.ts";
import { phaseTimes, runTiming } from "../../src/report/timing.ts";
import type { Evidence, Phase, RunReport, ScenarioRun, ScenarioStatus } from "../../src/report/types.ts";

interface RunSpec {
  name: string;
  attempt?: number;
  status: ScenarioStatus;
  /** Epoch ms of fault injection. */
  injectAt: number;
  ttdMs: number | null;
  rtoMs: number | null;
  targets: { ttdMs: number; rtoMs: number };
  reasons?: string[];
  /** [offset ms, phase, what] */
  timeline: [number, Phase, string][];
  /** [offset ms, kind, signal, text, simulated] */
  evidence?: [number, string, string | undefined, string, boolean][];
  leftovers?: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function makeRun(s: RunSpec): ScenarioRun {
  const first = s.timeline[0]![0];
  const last = s.timeline.at(-1)![0];
  const evidence: Evidence[] = (s.evidence ?? []).map(([o, kind, signal, text, simulated]) => ({
    kind,
    ...(signal === undefined ? {} : { signal }),
    text,
    at: iso(s.injectAt + o),
    offsetMs: o,
    simulated,
  }));
  return {
    name: s.name,
    file: `scenarios/${s.name}.yaml`,
    attempt: s.attempt ?? 1,
    status: s.status,
    ttdMs: s.ttdMs,
    rtoMs: s.rtoMs,
    targets: s.targets,
    provider: "kind",
    namespace: `kd-7f3a2c-${s.name}${s.attempt ? `-${s.attempt}` : ""}`,
    startedAt: iso(s.injectAt + first - 350),
    finishedAt: iso(s.injectAt + last + 120),
    reasons: s.reasons ?? [],
    timeline: s.timeline.map(([o, phase, what]) => ({ at: iso(s.injectAt + o), offsetMs: o, phase, what })),
    evidence,
    simulated: evidence.some((e) => e.simulated),
    cleanup: { ok: !s.leftovers?.length, leftovers: s.leftovers ?? [] },
  };
}

const T0 = Date.parse("2025-11-28T09:14:02.118Z");

export function quota(injectAt: number, attempt?: number, ttdMs = 8420, rtoMs = 46210): ScenarioRun {
  return makeRun({
    name: "quota-exhaustion",
    ...(attempt === undefined ? {} : { attempt }),
    status: "passed",
    injectAt,
    ttdMs,
    rtoMs,
    targets: { ttdMs: 30000, rtoMs: 120000 },
    timeline: [
      [-14210, "setup", "created namespace with label kubedrill.io/run=7f3a2c"],
      [-11870, "setup", "applied deployment promo-api (20 replicas, requests cpu=400m memory=512Mi)"],
      [-9480, "steady-state", "steady state holds: promo-api 20/20 Ready, GET /healthz 200 in 38ms"],
      [0, "inject", "raised promo-api requests to cpu=8 memory=16Gi (cluster free: 6 CPU / 12Gi)"],
      [1140, "detect", "watching events and pod conditions for FailedScheduling"],
      [ttdMs, "detect", "signal insufficient-cpu matched on pod promo-api-6d9f8c7b5-x2k4q"],
      [
        ttdMs + 630,
        "remediate",
        "applied ResourceQuota promo-quota (requests.cpu=2, limits.memory=4Gi), right-sized requests to cpu=400m",
      ],
      [ttdMs + 23280, "recover", "rollout of promo-api progressing: 14/20 Ready"],
      [rtoMs, "verify", "steady state holds again: 20/20 Ready, GET /healthz 200"],
      [rtoMs + 1620, "cleanup", "deleting namespace"],
      [rtoMs + 6750, "cleanup", "namespace gone; no run-labelled resources left"],
    ],
    evidence: [
      [
        ttdMs,
        "event",
        "insufficient-cpu",
        "FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
        false,
      ],
      [ttdMs + 40, "condition", "unschedulable", "PodScheduled=False reason=Unschedulable", false],
    ],
  });
}

export function diskFull(
  injectAt: number,
  attempt?: number,
  rtoMs = 71400,
  status: ScenarioStatus = "passed",
  reasons: string[] = [],
): ScenarioRun {
  return makeRun({
    name: "disk-full",
    ...(attempt === undefined ? {} : { attempt }),
    status,
    injectAt,
    ttdMs: 12980,
    rtoMs,
    targets: { ttdMs: 20000, rtoMs: 120000 },
    reasons,
    timeline: [
      [-8020, "setup", "created namespace; pinned image-puller pods to kind-worker"],
      [-5110, "steady-state", "steady state holds: image-puller 3/3 Running"],
      [
        0,
        "inject",
        "filled kind-worker image filesystem to 97% (fallocate 38Gi, simulated kubelet eviction thresholds)",
      ],
      [12980, "detect", "signals disk-pressure and pull-failed matched"],
      [13400, "remediate", "ran image garbage collection on kind-worker (crictl rmi --prune), freed 41Gi"],
      [rtoMs - 20000, "recover", "DiskPressure cleared; waiting for image-puller to become Ready"],
      [rtoMs, "verify", "steady state holds again: image-puller 3/3 Running"],
      [rtoMs + 2100, "cleanup", "released filler file; deleted namespace"],
    ],
    evidence: [
      [
        9010,
        "event",
        "pull-failed",
        'Failed: failed to pull and unpack image "registry.k8s.io/e2e-test-images/agnhost:2.53": write /var/lib/containerd/tmpmounts/containerd-mount123/usr/bin/agnhost: no space left on device',
        false,
      ],
      [
        12980,
        "condition",
        "disk-pressure",
        'node kind-worker DiskPressure=True reason=KubeletHasDiskPressure "kubelet has disk pressure"',
        true,
      ],
      [12990, "taint", "disk-pressure", "node.kubernetes.io/disk-pressure:NoSchedule", true],
    ],
  });
}

/** A --repeat 1 run of six scenarios: passed, TTD miss, RTO miss without remediation, error, simulated, aborted. */
export function singleRunReport(): RunReport {
  const scenarios: ScenarioRun[] = [
    quota(T0 + 14560),
    makeRun({
      name: "zone-unavailable",
      status: "failed",
      injectAt: T0 + 92400,
      ttdMs: 41250,
      rtoMs: 98400,
      targets: { ttdMs: 30000, rtoMs: 180000 },
      reasons: ["TTD 41250ms exceeded target 30000ms by 11250ms"],
      timeline: [
        [
          -10400,
          "setup",
          "created namespace; deployment checkout (3 replicas) with required node affinity topology.kubernetes.io/zone=zone-a",
        ],
        [-6200, "steady-state", "steady state holds: checkout 3/3 Ready"],
        [0, "inject", "cordoned and drained zone-a node kind-worker (maintenance), restarted rollout of checkout"],
        [900, "detect", "watching checkout pods for Pending with FailedScheduling"],
        [41250, "detect", "signal affinity-mismatch matched on pod checkout-5c8d7f9b44-qx7lm"],
        [
          42010,
          "remediate",
          "patched checkout affinity to preferredDuringSchedulingIgnoredDuringExecution, added topologySpreadConstraints over zones",
        ],
        [80300, "recover", "checkout 2/3 Ready on zone-b"],
        [98400, "verify", "steady state holds again: checkout 3/3 Ready"],
        [99100, "cleanup", "uncordoned kind-worker; deleted namespace"],
      ],
      evidence: [
        [
          41250,
          "event",
          "affinity-mismatch",
          "FailedScheduling: 0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
          false,
        ],
        [
          41300,
          "finding",
          undefined,
          "pod requires zone-a (requiredDuringScheduling); zone-a nodes: kind-worker (cordoned)",
          false,
        ],
      ],
    }),
    makeRun({
      name: "pvc-unbound",
      status: "failed",
      injectAt: T0 + 215300,
      ttdMs: 5310,
      rtoMs: null,
      targets: { ttdMs: 20000, rtoMs: 90000 },
      reasons: [
        "RTO not reached: steady state still failing 90000ms after injection (target 90000ms); no remediation ran (remediate: none)",
      ],
      timeline: [
        [
          -5200,
          "setup",
          "created namespace; statefulset ledger (1 replica) with volumeClaimTemplate storageClassName: fast-ssd",
        ],
        [-2100, "steady-state", "steady state holds: ledger-0 Ready"],
        [0, "inject", "deleted StorageClass fast-ssd and recreated pvc data-ledger-0"],
        [5310, "detect", "signal unbound-pvc matched on pvc data-ledger-0"],
        [90000, "verify", "gave up: ledger-0 still Pending after 90000ms"],
        [91200, "cleanup", "deleted namespace"],
      ],
      evidence: [
        [
          5310,
          "event",
          "unbound-pvc",
          "FailedScheduling: 0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
          false,
        ],
        [5330, "event", undefined, 'ProvisioningFailed: storageclass.storage.k8s.io "fast-ssd" not found', false],
      ],
    }),
    makeRun({
      name: "cidr-overlap",
      status: "error",
      injectAt: T0 + 318900,
      ttdMs: null,
      rtoMs: null,
      targets: { ttdMs: 45000, rtoMs: 300000 },
      reasons: [
        'inject: creating IPPool "kubedrill-overlap": calicoctl exited with code 1: \u001b[31merror\u001b[0m: resource type "ippools" not found (is Calico installed?)',
      ],
      timeline: [
        [-4800, "setup", "created namespace; deployment orders and service orders-db"],
        [-1900, "steady-state", "steady state holds: orders -> orders-db TCP 5432 connects in 2ms"],
        [0, "inject", "creating IPPool kubedrill-overlap 10.244.0.0/16 (overlaps the pod CIDR)"],
        [1450, "cleanup", "inject failed; nothing to revert; deleted namespace"],
      ],
    }),
    diskFull(T0 + 330000),
    makeRun({
      name: "ingress-conflict",
      status: "aborted",
      injectAt: T0 + 420700,
      ttdMs: null,
      rtoMs: null,
      targets: { ttdMs: 30000, rtoMs: 120000 },
      reasons: ["aborted by SIGINT at +12034ms during detect"],
      timeline: [
        [-6100, "setup", "created namespace; ingress api-prod (host shop.test, path /api)"],
        [-3000, "steady-state", "steady state holds: GET shop.test/api -> api-prod 200"],
        [0, "inject", "created ingress api-shadow claiming /api on the same host"],
        [1000, "detect", "probing GET shop.test/api x20 for responses from the wrong backend"],
        [12034, "cleanup", "SIGINT: reverting and deleting namespace"],
        [42100, "cleanup", "namespace still Terminating after 30000ms"],
      ],
      leftovers: ["namespace kd-7f3a2c-ingress-conflict (Terminating)"],
    }),
  ];
  return {
    schemaVersion: 1,
    tool: { name: "kubedrill", version: "0.1.0" },
    runId: "20251128-091402-7f3a2c",
    provider: "kind",
    cluster: { name: "kind-kubedrill", serverVersion: "v1.31.2" },
    startedAt: iso(T0),
    finishedAt: iso(T0 + 463200),
    status: "aborted",
    options: { repeat: 1, parallel: 1, remediate: true, dryRun: false },
    scenarios,
    aggregates: aggregate(scenarios),
  };
}

/** A --repeat 3 run: quota-exhaustion passes three times, disk-full (simulated) misses RTO once. */
export function repeatRunReport(): RunReport {
  const T = Date.parse("2025-11-28T10:02:40.500Z");
  const q = [quota(T + 15000, 1, 8420, 46210), quota(T + 90000, 2, 9130, 51870), quota(T + 170000, 3, 7960, 44020)];
  const d = [
    diskFull(T + 250000, 1, 71400),
    diskFull(T + 340000, 2, 68950),
    diskFull(T + 430000, 3, 131000, "failed", ["RTO 131000ms exceeded target 120000ms by 11000ms"]),
  ];
  const scenarios = [...q, ...d];
  return {
    schemaVersion: 1,
    tool: { name: "kubedrill", version: "0.1.0" },
    runId: "20251128-100240-c19e04",
    provider: "kind",
    cluster: { name: "kind-kubedrill", serverVersion: "v1.31.2" },
    startedAt: iso(T),
    finishedAt: iso(T + 575000),
    status: "failed",
    options: { repeat: 3, parallel: 1, remediate: true, dryRun: false },
    scenarios,
    aggregates: aggregate(scenarios),
  };
}

/** Text that has broken reports before: markup, quotes, pipes, ANSI colours, XML-illegal characters. */
export const HOSTILE = `<script>alert("x")</script> & 'q' a|b \u0000\u001b[31mred\u001b[0m \uFFFF \uD800 end`;

/** The single run with one scenario's name, reason and evidence replaced by HOSTILE text. */
export function hostileReport(): RunReport {
  const report = singleRunReport();
  const run = report.scenarios[1]!;
  const agg = report.aggregates.find((a) => a.name === run.name)!;
  run.name = HOSTILE;
  agg.name = HOSTILE;
  run.reasons = [`${HOSTILE}: TTD 41250ms exceeded target 30000ms by 11250ms`];
  run.evidence[0]!.text = HOSTILE;
  run.timeline[0]!.what = HOSTILE;
  run.file = `scenarios/"odd" <file> & co.yaml`;
  return report;
}

/** The --repeat 3 run with its time by phase, as the engine records it (from each timeline) and a 41 s cluster start. */
export function timedRepeatReport(): RunReport {
  const report = repeatRunReport();
  for (const r of report.scenarios) {
    const entered = r.timeline.map((t) => ({ phase: t.phase, at: Date.parse(t.at) }));
    entered[0]!.at = Date.parse(r.startedAt);
    r.phasesMs = phaseTimes(entered, Date.parse(r.finishedAt));
  }
  const start = Date.parse(report.startedAt);
  report.timing = runTiming(report.scenarios, {
    wallStart: start - 41_000,
    finishedAt: Date.parse(report.finishedAt),
    clusterStartMs: 41_000,
    startupMs: 1200,
  });
  return report;
}

/** The reason the engine gives an attempt of image-pull-auth on the local cluster's kwok nodes. */
export const SKIP_REASON =
  "needs authRegistry (an image registry that requires credentials, which the nodes pull from: local real nodes); cluster local/kwok has none";

/**
 * A run on the local cluster's kwok nodes: image-pull-auth is skipped (as the engine records
 * it, each of `repeat` attempts); with `alsoRan`, quota-exhaustion passed beside it.
 */
export function skippedRunReport(o: { repeat?: number; alsoRan?: boolean } = {}): RunReport {
  const repeat = o.repeat ?? 1;
  const T = Date.parse("2025-11-29T08:00:00.000Z");
  const pull = { ...scenario("image-pull-auth"), file: "scenarios/image-pull-auth.yaml" };
  const skipped = Array.from({ length: repeat }, (_, i) =>
    skippedRun(pull, { attempt: i + 1, reason: SKIP_REASON, at: T + 1000, provider: "local" }),
  );
  const ran = o.alsoRan ? [{ ...quota(T + 20000), provider: "local" }] : [];
  const scenarios = [...skipped, ...ran];
  return {
    schemaVersion: 1,
    tool: { name: "kubedrill", version: "0.1.0" },
    runId: "20251129-080000-5c1a9d",
    provider: "local",
    cluster: { name: "kubedrill", serverVersion: "v1.34.1" },
    startedAt: iso(T),
    finishedAt: iso(T + 90000),
    status: worst(scenarios.map((r) => r.status)),
    options: { repeat, parallel: 1, remediate: true, dryRun: false },
    scenarios,
    aggregates: aggregate(scenarios),
  };
}
