import { expect } from "chai";
import { containerConfigErrorAnalyser } from "../../src/diagnose/analysers/container-config-error.ts";
import { containerFailedAnalyser } from "../../src/diagnose/analysers/container-failed.ts";
import { oomRestartsAnalyser } from "../../src/diagnose/analysers/oom-restarts.ts";
import { podEvictedAnalyser } from "../../src/diagnose/analysers/pod-evicted.ts";
import { readinessFailingAnalyser } from "../../src/diagnose/analysers/readiness-failing.ts";
import { sandboxFailureAnalyser } from "../../src/diagnose/analysers/sandbox-failure.ts";
import { emptySnapshot, event, job, pod, service } from "./fixtures/builders.ts";

const PROBE = { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 };
const status = (name: string, state: unknown, o: { ready?: boolean; restarts?: number; last?: unknown } = {}) => ({
  name,
  image: "registry.example.com/shop/app:1.4.2",
  ready: o.ready ?? false,
  restartCount: o.restarts ?? 0,
  state,
  lastState: o.last ?? {},
});

describe("diagnose: pod states", () => {
  it("ReadinessProbeFailing: Running, not Ready, with the probe's failure and the Service that skips it", () => {
    const p = pod("api-1", "shop", {
      labels: { app: "api" },
      node: "w1",
      ready: false,
      containers: [{ readinessProbe: PROBE }],
      containerStatuses: [status("app", { running: { startedAt: "2025-11-20T10:00:00Z" } })],
    });
    const ev = event(
      "shop",
      { kind: "Pod", name: "api-1" },
      "Unhealthy",
      "Readiness probe failed: HTTP probe failed with statuscode: 503",
      { component: "kubelet", count: 40 },
    );
    const svc = service("api", "shop", { app: "api" });
    const [f, ...rest] = readinessFailingAnalyser.analyse(emptySnapshot({ pods: [p], events: [ev], services: [svc] }));
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.equal(
      "pod shop/api-1 is Running but not Ready: the readiness probe of app fails: Readiness probe failed: HTTP probe failed with statuscode: 503, so Service api does not send it traffic",
    );
    expect(f?.evidence).to.include("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503");
    // Without a Service in front, and without events: still reported from the probe and ready=false.
    const [g] = readinessFailingAnalyser.analyse(emptySnapshot({ pods: [p] }));
    expect(g?.message).to.equal("pod shop/api-1 is Running but not Ready: the readiness probe of app fails");
    // Ready pods and containers without a probe are not.
    const ok = pod("api-2", "shop", { node: "w1", containers: [{ readinessProbe: PROBE }] });
    const noProbe = pod("api-3", "shop", {
      node: "w1",
      ready: false,
      containerStatuses: [status("app", { running: {} })],
    });
    expect(readinessFailingAnalyser.analyse(emptySnapshot({ pods: [ok, noProbe] }))).to.deep.equal([]);
  });

  it("PodEvicted: ephemeral storage, emptyDir over its sizeLimit, node pressure; grouped by owner", () => {
    const evicted = (name: string, message: string, owner = "cache-7d9f") =>
      pod(name, "shop", {
        node: "w1",
        phase: "Failed",
        owner: { kind: "ReplicaSet", name: owner },
        containerStatuses: [],
        status: { reason: "Evicted", message },
      });
    const pods = [
      evicted("cache-7d9f-a", "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. "),
      evicted("cache-7d9f-b", "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. "),
      evicted("tmp-1", 'Usage of EmptyDir volume "scratch" exceeds the limit "500Mi". ', "tmp-5c"),
      evicted("web-1", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. ", "web-9"),
      evicted("agent-x", "Pod was rejected: The node had condition: [DiskPressure]. ", "agent"),
    ];
    const found = podEvictedAnalyser.analyse(emptySnapshot({ pods }));
    expect(found.map((f) => f.message)).to.deep.equal([
      "pod shop/cache-7d9f-a and 1 more pod(s) of ReplicaSet cache-7d9f evicted: a container wrote more local (ephemeral) storage than its limit (node w1)",
      "pod shop/tmp-1 evicted: emptyDir volume scratch grew beyond its sizeLimit 500Mi (node w1)",
      "pod shop/web-1 evicted: the node was low on memory (node w1)",
      "pod shop/agent-x evicted: the kubelet refused to start it: the node has DiskPressure (node w1)",
    ]);
    expect(found[0]?.evidence).to.have.length(2);
    expect(found.map((f) => f.remedy)).to.satisfy(
      (r: string[]) => r[0]!.includes("ephemeral-storage") && r[1]!.includes("sizeLimit"),
    );
    expect(found.every((f) => f.severity === "warning")).to.equal(true);
  });

  it("SandboxCreationFailed: a RuntimeClass whose handler the runtime lacks, with the RuntimeClass", () => {
    const p = pod("secure-0", "shop", { node: "w1", phase: "Pending", spec: { runtimeClassName: "gvisor" } });
    const msg =
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "runsc" is configured';
    const ev = event("shop", { kind: "Pod", name: "secure-0" }, "FailedCreatePodSandBox", msg, {
      component: "kubelet",
      count: 12,
    });
    const rc = { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: "gvisor" }, handler: "runsc" };
    const [f, ...rest] = sandboxFailureAnalyser.analyse(
      emptySnapshot({ pods: [p], events: [ev], runtimeClasses: [rc] }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      "pod shop/secure-0 cannot start on node w1: failed to create pod sandbox: the container runtime has no handler for the pod's RuntimeClass (RuntimeClass gvisor, handler runsc)",
    );
    expect(f?.evidence).to.deep.equal([`FailedCreatePodSandBox: ${msg}`, "RuntimeClass gvisor: handler=runsc"]);
    expect(f?.remedy).to.match(/runtime handler/);
    const cni = event(
      "shop",
      { kind: "Pod", name: "secure-0" },
      "FailedCreatePodSandBox",
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "abc": plugin type="calico" failed (add): error getting ClusterInformation',
      { component: "kubelet" },
    );
    expect(sandboxFailureAnalyser.analyse(emptySnapshot({ pods: [p], events: [cni] }))[0]?.message).to.contain(
      "the CNI plugin could not set up the pod network",
    );
    // Once running, old sandbox events no longer count.
    const running = pod("secure-0", "shop", { node: "w1" });
    expect(sandboxFailureAnalyser.analyse(emptySnapshot({ pods: [running], events: [ev] }))).to.deep.equal([]);
  });

  it("ContainerConfigError: a missing ConfigMap key or Secret, in Kubernetes' words", () => {
    const waiting = (name: string, message: string) =>
      pod(name, "shop", {
        node: "w1",
        phase: "Pending",
        containerStatuses: [status("app", { waiting: { reason: "CreateContainerConfigError", message } })],
      });
    const found = containerConfigErrorAnalyser.analyse(
      emptySnapshot({
        pods: [
          waiting("a", "couldn't find key DB_HOST in ConfigMap shop/app-config"),
          waiting("b", 'secret "db-password" not found'),
        ],
      }),
    );
    expect(found.map((f) => f.message)).to.deep.equal([
      "pod shop/a container app cannot be created (CreateContainerConfigError): key DB_HOST is missing from ConfigMap shop/app-config",
      "pod shop/b container app cannot be created (CreateContainerConfigError): Secret db-password does not exist",
    ]);
    expect(found[0]?.evidence[0]).to.equal(
      "app: waiting CreateContainerConfigError: couldn't find key DB_HOST in ConfigMap shop/app-config",
    );
    expect(found.every((f) => f.severity === "critical" && /ConfigMap or Secret/.test(f.remedy))).to.equal(true);
  });

  it("ContainerFailed: a pod that ended Failed with a non-zero exit; Job pods are JobFailed's", () => {
    const failed = (name: string, owner?: { kind: string; name: string }) =>
      pod(name, "shop", {
        node: "w1",
        phase: "Failed",
        owner,
        spec: { restartPolicy: "Never" },
        containerStatuses: [status("app", { terminated: { exitCode: 2, reason: "Error" } })],
      });
    const [f, ...rest] = containerFailedAnalyser.analyse(
      emptySnapshot({
        pods: [failed("migrate"), failed("report-abc", { kind: "Job", name: "report" })],
        jobs: [job("report", "shop")],
      }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal(
      "pod shop/migrate failed: container app exit code 2: misuse of the command line (bad arguments or shell syntax)",
    );
    expect(f?.evidence).to.deep.equal(["app: terminated exitCode=2 reason=Error", "restartPolicy=Never"]);
    expect(f?.severity).to.equal("warning");
    const ok = pod("done", "shop", {
      node: "w1",
      phase: "Succeeded",
      containerStatuses: [status("app", { terminated: { exitCode: 0 } })],
    });
    expect(containerFailedAnalyser.analyse(emptySnapshot({ pods: [ok] }))).to.deep.equal([]);
  });

  it("OOMKilled: running again after an OOM kill; warning from 3 restarts, info below", () => {
    const oom = (restarts: number) =>
      pod(`worker-${restarts}`, "shop", {
        node: "w1",
        containers: [{ limits: { memory: "256Mi" } }],
        containerStatuses: [
          status(
            "app",
            { running: {} },
            { ready: true, restarts, last: { terminated: { exitCode: 137, reason: "OOMKilled" } } },
          ),
        ],
      });
    const found = oomRestartsAnalyser.analyse(emptySnapshot({ pods: [oom(5), oom(1)] }));
    expect(found.map((f) => `${f.severity} ${f.message}`)).to.deep.equal([
      "warning pod shop/worker-5 container app is running again after being OOMKilled (exceeded its memory limit 256Mi); 5 restart(s) so far",
      "info pod shop/worker-1 container app is running again after being OOMKilled (exceeded its memory limit 256Mi); 1 restart(s) so far",
    ]);
    expect(found[0]?.remedy).to.match(/memory limit/);
    const crashed = pod("c", "shop", {
      node: "w1",
      containerStatuses: [
        status("app", { waiting: { reason: "CrashLoopBackOff" } }, { last: { terminated: { reason: "OOMKilled" } } }),
      ],
    });
    expect(oomRestartsAnalyser.analyse(emptySnapshot({ pods: [crashed] })), "CrashLoop's").to.deep.equal([]);
  });
});
