import { expect } from "chai";
import { affinityUnsatisfiableAnalyser } from "../../src/diagnose/analysers/affinity-unsatisfiable.ts";
import { jobFailedAnalyser } from "../../src/diagnose/analysers/job-failed.ts";
import { podCreateRejectedAnalyser, rejectionCause } from "../../src/diagnose/analysers/pod-create-rejected.ts";
import { schedulingGatedAnalyser } from "../../src/diagnose/analysers/scheduling-gated.ts";
import { statefulSetServiceAnalyser } from "../../src/diagnose/analysers/statefulset-service.ts";
import { untoleratedTaintAnalyser } from "../../src/diagnose/analysers/untolerated-taint.ts";
import { emptySnapshot, event, job, node, pod, replicaSet, service, statefulSet } from "./fixtures/builders.ts";

const GPU = { key: "dedicated", value: "gpu", effect: "NoSchedule" };

describe("diagnose: scheduling and workloads", () => {
  it("UntoleratedTaint: names the taint and the nodes carrying it; silent once tolerated or for lifecycle taints", () => {
    const nodes = [node("gpu-1", { taints: [GPU] }), node("gpu-2", { taints: [GPU] })];
    const msg =
      "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    const p = pod("train-0", "ml", { unschedulable: msg });
    const [f, ...rest] = untoleratedTaintAnalyser.analyse(emptySnapshot({ nodes, pods: [p] }));
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      "pod ml/train-0 cannot be scheduled: the nodes it could use carry a taint it does not tolerate: dedicated=gpu:NoSchedule (gpu-1, gpu-2)",
    );
    expect(f?.evidence[0]).to.equal(`PodScheduled=False Unschedulable: ${msg}`);
    expect(f?.remedy).to.match(/toleration/);
    p.spec.tolerations = [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }];
    expect(untoleratedTaintAnalyser.analyse(emptySnapshot({ nodes, pods: [p] }))).to.deep.equal([]);
    const down = [
      node("n1", { ready: "Unknown", taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }] }),
    ];
    const q = pod("q", "ml", {
      unschedulable: "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.",
    });
    expect(untoleratedTaintAnalyser.analyse(emptySnapshot({ nodes: down, pods: [q] })), "NodeNotReady's").to.deep.equal(
      [],
    );
  });

  it("SchedulingGated: names the gates", () => {
    const p = pod("batch-0", "ml", {
      spec: { schedulingGates: [{ name: "kueue.x-k8s.io/admission" }] },
      status: {
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "SchedulingGated",
            message: "Scheduling is blocked due to non-empty scheduling gates",
          },
        ],
      },
    });
    const [f] = schedulingGatedAnalyser.analyse(emptySnapshot({ pods: [p, pod("free", "ml")] }));
    expect(f?.message).to.equal(
      "pod ml/batch-0 is not scheduled because scheduling is blocked by the scheduling gate kueue.x-k8s.io/admission: the scheduler ignores it until they are removed",
    );
    expect(f?.evidence).to.deep.equal([
      "spec.schedulingGates: kueue.x-k8s.io/admission",
      "PodScheduled=False SchedulingGated: Scheduling is blocked due to non-empty scheduling gates",
    ]);
    expect(f?.severity).to.equal("warning");
  });

  it("AffinityUnsatisfiable from required pod anti-affinity: every hostname already runs a replica", () => {
    const nodes = [node("w1"), node("w2")];
    const anti = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: "etcd" } }, topologyKey: "kubernetes.io/hostname" },
        ],
      },
    };
    const running = ["w1", "w2"].map((n, i) =>
      pod(`etcd-${i}`, "db", { labels: { app: "etcd" }, node: n, affinity: anti }),
    );
    const msg =
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.";
    const third = pod("etcd-2", "db", { labels: { app: "etcd" }, affinity: anti, unschedulable: msg });
    const [f, ...rest] = affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes, pods: [...running, third] }));
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal(
      'pod db/etcd-2 cannot be scheduled because of its required pod anti-affinity: no two pods matching {"matchLabels":{"app":"etcd"}} may share kubernetes.io/hostname, and all 2 kubernetes.io/hostname value(s) of the nodes it may use (w1, w2) already run one (etcd-0, etcd-1)',
    );
    expect(f?.remedy).to.match(/preferredDuringScheduling/);
    const spare = node("w3");
    expect(
      affinityUnsatisfiableAnalyser.analyse(emptySnapshot({ nodes: [...nodes, spare], pods: [...running, third] })),
    ).to.deep.equal([]);
  });

  it("StatefulSetServiceMissing: the serviceName Service does not exist", () => {
    const sts = statefulSet("redis", "shop", "redis-headless");
    const [f] = statefulSetServiceAnalyser.analyse(emptySnapshot({ statefulSets: [sts] }));
    expect(f?.message).to.equal(
      'StatefulSet shop/redis names serviceName "redis-headless", but no Service redis-headless exists in shop: its pods get no stable DNS names (redis-0.redis-headless)',
    );
    const svc = service("redis-headless", "shop", { app: "redis" }, [{ port: 6379 }], { clusterIP: "None" });
    expect(statefulSetServiceAnalyser.analyse(emptySnapshot({ statefulSets: [sts], services: [svc] }))).to.deep.equal(
      [],
    );
    expect(
      statefulSetServiceAnalyser.analyse(emptySnapshot({ statefulSets: [sts], unreadable: ["services"] })),
    ).to.deep.equal([]);
  });

  it("PodCreateRejected: a missing ServiceAccount and Pod Security admission; quota stays QuotaExceeded's", () => {
    const sa =
      'Error creating: pods "api-7c9d-" is forbidden: error looking up service account shop/api-sa: serviceaccount "api-sa" not found';
    const psa =
      'Error creating: pods "root-6f-x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)';
    const quota =
      'Error creating: pods "q-1" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=9, limited: pods=9';
    const events = [
      event("shop", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "api-7c9d" }, "FailedCreate", sa, {
        component: "replicaset-controller",
        count: 14,
      }),
      event("shop", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "root-6f" }, "FailedCreate", psa, {
        component: "replicaset-controller",
      }),
      event("shop", { kind: "ReplicaSet", apiVersion: "apps/v1", name: "q" }, "FailedCreate", quota, {
        component: "replicaset-controller",
      }),
    ];
    const rss = [
      replicaSet("api-7c9d", "shop", 2, 0),
      replicaSet("root-6f", "shop", 1, 0),
      replicaSet("q", "shop", 1, 0),
    ];
    const found = podCreateRejectedAnalyser.analyse(emptySnapshot({ events, replicaSets: rss }));
    expect(found.map((f) => f.message)).to.deep.equal([
      "ReplicaSet shop/api-7c9d cannot create pods: ServiceAccount api-sa does not exist in shop",
      'ReplicaSet shop/root-6f cannot create pods: the pod violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
    ]);
    expect(found[0]?.evidence).to.deep.equal([`FailedCreate: ${sa}`]);
    expect(found[0]?.object).to.deep.equal({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "api-7c9d",
      namespace: "shop",
    });
    expect(found[1]?.remedy).to.match(/Pod Security level/);
    // Once the ReplicaSet has its replicas, the old events no longer count.
    const healed = [replicaSet("api-7c9d", "shop", 2, 2), replicaSet("root-6f", "shop", 1, 1)];
    expect(podCreateRejectedAnalyser.analyse(emptySnapshot({ events, replicaSets: healed }))).to.deep.equal([]);
    expect(rejectionCause('pod rejected: RuntimeClass "kata" not found')?.cause).to.equal("runtimeClass");
    expect(
      rejectionCause('admission webhook "validate.kyverno.svc" denied the request: image tag latest is not allowed')
        ?.text,
    ).to.equal("admission webhook validate.kyverno.svc denied it: image tag latest is not allowed");
  });

  it("JobFailed: BackoffLimitExceeded with the last pod's exit, DeadlineExceeded; silent for complete Jobs", () => {
    const j = job("report", "shop", {
      failed: { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" },
      backoffLimit: 2,
    });
    const p = pod("report-x1", "shop", {
      node: "w1",
      phase: "Failed",
      owner: { kind: "Job", name: "report" },
      containerStatuses: [
        { name: "app", ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: "Error" } } },
      ],
    });
    const d = job("sync", "shop", {
      failed: { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" },
      deadline: 60,
    });
    const found = jobFailedAnalyser.analyse(
      emptySnapshot({ jobs: [j, d, job("ok", "shop", { complete: true })], pods: [p] }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      "Job shop/report failed (BackoffLimitExceeded): its pods failed more often than backoffLimit 2 allows; last failure: pod report-x1 container app exit code 1: application error (bad configuration or start parameters; see its logs)",
      "Job shop/sync failed (DeadlineExceeded): it ran longer than activeDeadlineSeconds 60",
    ]);
    expect(found[0]?.evidence[0]).to.equal(
      "Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit",
    );
    expect(found[1]?.remedy).to.match(/activeDeadlineSeconds/);
  });
});
