import { expect } from "chai";
import { crashLoopAnalyser, explainExit } from "../../src/diagnose/analysers/crash-loop.ts";
import { emptySnapshot, event, pod } from "./fixtures/builders.ts";

function crashing(name: string, exitCode: number, reason = "Error", extra: Record<string, unknown> = {}) {
  return pod(name, "ml", {
    node: "worker-2",
    ready: false,
    containerStatuses: [
      {
        name: "model",
        image: "registry.example.com/ml/model:3.1-alpine",
        ready: false,
        restartCount: 6,
        started: false,
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: `back-off 5m0s restarting failed container=model pod=${name}_ml(0b6f0001)`,
          },
        },
        lastState: {
          terminated: {
            exitCode,
            reason,
            startedAt: "2025-11-20T10:05:00Z",
            finishedAt: "2025-11-20T10:05:01Z",
            containerID: "containerd://abc",
            ...extra,
          },
        },
      },
    ],
  });
}

describe("diagnose: CrashLoop", () => {
  it("exit 127 on an Alpine image: binary or shared library missing, glibc remedy", () => {
    const p = crashing("model-7d9c-5kq2w", 127);
    const ev = event(
      "ml",
      { kind: "Pod", name: "model-7d9c-5kq2w" },
      "BackOff",
      "Back-off restarting failed container model in pod model-7d9c-5kq2w_ml(0b6f0001)",
      { component: "kubelet", count: 30 },
    );
    const [f, ...rest] = crashLoopAnalyser.analyse(emptySnapshot({ pods: [p], events: [ev] }));
    expect(rest).to.deep.equal([]);
    expect(f?.message).to.equal(
      "pod ml/model-7d9c-5kq2w container model is crash-looping (6 restarts): exit code 127: binary or shared library missing (e.g. an Alpine/musl image lacking glibc, or a wrong command path)",
    );
    expect(f?.evidence).to.deep.equal([
      "model: waiting CrashLoopBackOff: back-off 5m0s restarting failed container=model pod=model-7d9c-5kq2w_ml(0b6f0001)",
      "model: last terminated exitCode=127 reason=Error",
      "BackOff: Back-off restarting failed container model in pod model-7d9c-5kq2w_ml(0b6f0001)",
    ]);
    expect(f?.remedy).to.match(/glibc base \(Ubuntu\/Debian\) or distroless/);
  });

  it("explains the usual exit codes", () => {
    expect(explainExit(126, "Error").text).to.match(/not executable/);
    expect(explainExit(137, "OOMKilled").text).to.match(/^OOMKilled/);
    expect(explainExit(137, "Error").text).to.match(/SIGKILL/);
    expect(explainExit(139, "Error").text).to.match(/segmentation fault/);
    expect(explainExit(1, "Error").text).to.match(/application error/);
    expect(explainExit(143, "Error").text).to.match(/SIGTERM/);
    expect(explainExit(0, "Completed").text).to.match(/finished/);
    expect(explainExit(130, "Error").text).to.equal("exit code 130: killed by signal 2");
    expect(explainExit(3, "Error").remedy).to.equal("app");
  });

  it("OOMKilled gets the memory remedy; a failing liveness probe with 137 says the kubelet kills it", () => {
    const [oom] = crashLoopAnalyser.analyse(emptySnapshot({ pods: [crashing("a", 137, "OOMKilled")] }));
    expect(oom?.message).to.contain("OOMKilled: the container exceeded its memory limit");
    expect(oom?.remedy).to.match(/memory limit/);
    const probe = event(
      "ml",
      { kind: "Pod", name: "b" },
      "Unhealthy",
      'Liveness probe failed: Get "http://10.244.2.7:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      { component: "kubelet" },
    );
    const [killed] = crashLoopAnalyser.analyse(emptySnapshot({ pods: [crashing("b", 137)], events: [probe] }));
    expect(killed?.message).to.contain("the liveness probe is failing, so kubelet kills it");
    expect(killed?.remedy).to.match(/liveness probe/);
  });

  it("is silent for running pods and pods in other waiting states", () => {
    const pulling = pod("p", "ml", {
      node: "n",
      containerStatuses: [
        { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff" } } },
      ],
    });
    expect(crashLoopAnalyser.analyse(emptySnapshot({ pods: [pod("r", "ml", { node: "n" }), pulling] }))).to.deep.equal(
      [],
    );
  });
});
