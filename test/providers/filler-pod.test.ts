import { expect } from "chai";
import { TimeoutError } from "../../src/errors.ts";
import { deleteDiskFillers, fillerPodManifest, startDiskFiller } from "../../src/providers/shared/filler-pod.ts";
import { FakeClock } from "../../src/util/clock.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { FakeKube } from "../fakes/kube.ts";
import { readyPod } from "../fakes/objects.ts";
import { rejection } from "./helpers.ts";

const terminated = (pod: KObject, exitCode: number, message: string): KObject => ({
  ...pod,
  status: {
    phase: "Failed",
    containerStatuses: [{ name: "filler", state: { terminated: { exitCode, reason: "Error", message } } }],
  },
});

describe("disk filler pod", () => {
  let kube: FakeKube;
  beforeEach(() => {
    kube = new FakeKube();
  });

  it("is pinned to the node, bounded, labelled with the run id, and meets the restricted Pod Security profile", () => {
    const pod = fillerPodManifest({
      kube,
      nodeName: "kd-worker5",
      runId: "run-9",
      namespace: "kd-disk",
      maxBytes: 2 * 1024 ** 3,
    });
    expect(pod.metadata.name).to.match(/^kubedrill-fill-kd-worker5-[0-9a-f]{6}$/);
    expect(pod.metadata.labels).to.deep.equal({
      "kubedrill.io/run-id": "run-9",
      "app.kubernetes.io/managed-by": "kubedrill",
      "kubedrill.io/role": "disk-filler",
    });
    expect(pod.spec.nodeName).to.equal("kd-worker5");
    expect(pod.spec.tolerations).to.deep.equal([{ operator: "Exists" }]);
    const c = pod.spec.containers[0];
    expect(c.image).to.equal("busybox:1.36.1");
    expect(c.env).to.deep.include({ name: "MAX_KB", value: String(2 * 1024 * 1024) });
    expect(c.env).to.deep.include({ name: "TARGET_FREE_PERCENT", value: "5" });
    expect(Number(pod.spec.volumes[0].emptyDir.sizeLimit)).to.be.above(2 * 1024 ** 3);
    expect(c.command[2]).to.include("fallocate").and.include("df -Pk /fill").and.include("exit 3");
    expect(c.securityContext).to.deep.equal({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.spec.securityContext).to.include({ runAsNonRoot: true });
  });

  it("resolves once the filler is Ready, and reverting deletes it", async () => {
    kube.onCreate = (pod) => setImmediate(() => kube.put(readyPod(pod)));
    const filler = await startDiskFiller({ kube, nodeName: "n1", runId: "r" });
    expect(kube.objects("Pod")).to.have.length(1);
    await filler.revert();
    expect(kube.objects("Pod")).to.have.length(0);
    expect(kube.liveWatches().length).to.equal(0);
  });

  it("counts an eviction by the kubelet as filled (the disk pressure happened)", async () => {
    kube.onCreate = (pod) =>
      setImmediate(() =>
        kube.put({
          ...pod,
          status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: ephemeral-storage." },
        }),
      );
    const filler = await startDiskFiller({ kube, nodeName: "n1", runId: "r" });
    expect(filler.simulated).to.equal(false);
  });

  it("fails with the filler's own message when the fill would exceed the limit, and deletes the pod", async () => {
    const why =
      "filling node n1 needs 90000000KiB (available 95000000KiB of 100000000KiB, keeping 5% free), over the limit of 16777216KiB";
    kube.onCreate = (pod) => setImmediate(() => kube.put(terminated(pod, 3, why)));
    const err = await rejection(() => startDiskFiller({ kube, nodeName: "n1", runId: "r" }));
    expect(err.message).to.equal(`filling the disk of node n1: ${why}`);
    expect(kube.objects("Pod")).to.have.length(0);
  });

  it("fails fast when the filler image cannot be pulled", async () => {
    kube.onCreate = (pod) =>
      setImmediate(() =>
        kube.put({
          ...pod,
          status: {
            phase: "Pending",
            containerStatuses: [{ state: { waiting: { reason: "ErrImagePull", message: "no space left on device" } } }],
          },
        }),
      );
    const err = await rejection(() => startDiskFiller({ kube, nodeName: "n1", runId: "r" }));
    expect(err.message).to.include("cannot start: ErrImagePull: no space left on device");
  });

  it("times out (naming the pod and the limit) and cleans up when the pod never turns Ready", async () => {
    const clock = new FakeClock();
    const outcome = startDiskFiller({ kube, nodeName: "n1", runId: "r", clock, timeoutMs: 60_000 }).then(
      () => new Error("expected a timeout"),
      (e: Error) => e,
    );
    while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(59_999);
    expect(kube.objects("Pod")).to.have.length(1, "still waiting just before the deadline");
    await clock.advance(1);
    const err = await outcome;
    expect(err).to.be.instanceOf(TimeoutError);
    expect(err.message).to.match(
      /^filling the disk of node n1: disk filler pod default\/kubedrill-fill-n1-[0-9a-f]{6} on node n1 done not reached after 60000ms \(limit 60000ms\)$/,
    );
    expect(kube.objects("Pod")).to.have.length(0);
  });

  it("deleteDiskFillers removes only filler pods on that node (and run)", async () => {
    const mk = (name: string, node: string, run: string, role = "disk-filler"): KObject => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", labels: { "kubedrill.io/role": role, "kubedrill.io/run-id": run } },
      spec: { nodeName: node },
    });
    [mk("a", "n1", "r1"), mk("b", "n1", "r2"), mk("c", "n2", "r1"), mk("d", "n1", "r1", "app")].forEach((p) =>
      kube.put(p),
    );
    expect(await deleteDiskFillers(kube, "n1", { runId: "r1" })).to.equal(1);
    expect(kube.objects("Pod").map((p) => p.metadata.name)).to.deep.equal(["b", "c", "d"]);
    expect(await deleteDiskFillers(kube, "n1")).to.equal(1);
    expect(kube.objects("Pod").map((p) => p.metadata.name)).to.deep.equal(["c", "d"]);
  });
});
