import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { ClusterError, NotApplicableError } from "../../src/errors.ts";
import type { K3sHandle } from "../../src/providers/k3s/container.ts";
import { K3S_IMAGE, loadK3sPackage } from "../../src/providers/k3s/container.ts";
import { k3sProvider, type K3sProviderOptions } from "../../src/providers/k3s/provider.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { node } from "../fakes/objects.ts";
import { exists, fakeEnv, rejection, type FakeEnv } from "./helpers.ts";

const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://localhost:32771\n  name: default\n";

describe("k3s provider (fake testcontainers)", () => {
  let fake: FakeEnv;
  let kube: FakeKube;
  let started: { image: string; args: string[]; labels: Record<string, string> }[];
  let stops: number;
  let execs: string[][];
  let execResult: { exitCode: number; output: string };

  const handle = (): K3sHandle => ({
    kubeConfig: KUBECONFIG,
    containerName: "cool_k3s",
    exec: async (cmd) => {
      execs.push(cmd);
      return execResult;
    },
    stop: async () => {
      stops++;
    },
  });
  const provider = (o: Partial<K3sProviderOptions> = {}) =>
    k3sProvider({
      createKube: () => kube,
      tmpRoot: fake.dir,
      nodesReadyTimeoutMs: 200,
      startContainer: async (image, opts) => {
        started.push({ image, ...opts });
        return handle();
      },
      ...o,
    });

  beforeEach(async () => {
    fake = await fakeEnv();
    kube = new FakeKube();
    kube.put(node("4f1c2a9e7b3d"));
    started = [];
    stops = 0;
    execs = [];
    execResult = { exitCode: 0, output: "Deleted: docker.io/library/busybox:1.36.1\n" };
  });
  afterEach(() => fake.cleanup());

  describe("applicable()", () => {
    it("is applicable when the runtime check answers", async () => {
      expect(
        await provider({ detectRuntime: async () => "container runtime at localhost" }).applicable(),
      ).to.deep.equal({ ok: true, detail: "container runtime at localhost" });
    });

    it("gives the runtime error as the reason", async () => {
      const v = await provider({
        detectRuntime: async () => Promise.reject(new Error("Could not find a working container runtime strategy")),
      }).applicable();
      expect(v.ok === false && v.reason)
        .to.include("no reachable container runtime for k3s")
        .and.include("Could not find a working container runtime strategy");
    });

    it("says how to install testcontainers when it is missing (it is an optional peer dependency)", async () => {
      const missing = Object.assign(new Error("Cannot find package 'testcontainers' imported from /x/container.js"), {
        code: "ERR_MODULE_NOT_FOUND",
      });
      const err = await rejection(() => loadK3sPackage(() => Promise.reject(missing)));
      expect(err).to.be.instanceOf(NotApplicableError);
      expect((err as Error).cause).to.equal(missing);
      const hint =
        "the k3s provider needs testcontainers and @testcontainers/k3s, which kubedrill does not install by default: run `npm install testcontainers@^11 @testcontainers/k3s@^11` where kubedrill is installed (add -g for a global install)";
      expect((err as Error).message).to.equal(hint);
      const v = await provider({ detectRuntime: () => loadK3sPackage(() => Promise.reject(missing)) }).applicable();
      expect(v).to.deep.equal({ ok: false, reason: hint });
      // Any other failure while loading is not disguised as a missing package.
      const broken = new SyntaxError("Unexpected token");
      expect(await rejection(() => loadK3sPackage(() => Promise.reject(broken)))).to.equal(broken);
      expect(await loadK3sPackage(async () => ({ loaded: true }))).to.deep.equal({ loaded: true });
    });

    it("does not hang on a runtime check that never answers", async () => {
      const t0 = Date.now();
      const v = await provider({
        detectRuntime: () => new Promise(() => undefined),
        runtimeCheckTimeoutMs: 100,
      }).applicable();
      expect(v.ok === false && v.reason).to.equal(
        "no container runtime answered within 100ms (k3s runs in a container through testcontainers)",
      );
      expect(Date.now() - t0).to.be.below(2000);
    });

    it("answers quickly with testcontainers' own detection on this machine", async function () {
      this.timeout(15_000);
      const v = await k3sProvider({ createKube: () => kube, runtimeCheckTimeoutMs: 10_000 }).applicable();
      // There is no Docker engine here; where there is one, this is applicable.
      if (v.ok) console.log(`      (a container runtime is reachable here: ${v.detail})`);
      else expect(v.reason).to.match(/container runtime/);
    });
  });

  describe("start() and stop()", () => {
    it("starts the pinned image with the project's CIDRs, writes the kubeconfig, and stops the container once", async () => {
      const cluster = await provider({ runId: "run-3" }).start({ name: "kd-k3s", log: memoryLogger() });
      expect(started).to.deep.equal([
        {
          image: K3S_IMAGE,
          args: ["server", "--disable=traefik", "--cluster-cidr=10.244.0.0/16", "--service-cidr=10.96.0.0/16"],
          labels: { "kubedrill.io/run-id": "run-3", "app.kubernetes.io/managed-by": "kubedrill" },
        },
      ]);
      expect(K3S_IMAGE).to.match(/^rancher\/k3s:v1\.34\.\d+-k3s\d+$/);
      expect(await readFile(cluster.kubeconfigPath, "utf8")).to.equal(KUBECONFIG);
      expect(cluster.capabilities).to.deep.equal({
        dynamicProvisioner: "rancher.io/local-path",
        realDataPlane: true,
        clusterDNS: true,
      });
      expect(cluster.network).to.deep.equal({ podCIDR: "10.244.0.0/16", serviceCIDR: "10.96.0.0/16" });
      await cluster.stop();
      await cluster[Symbol.asyncDispose]();
      expect(stops).to.equal(1);
      expect(await exists(cluster.kubeconfigPath)).to.equal(false);
    });

    it("stops the container and rethrows with context when the node never turns Ready", async () => {
      kube = new FakeKube();
      kube.put(node("4f1c2a9e7b3d", { ready: false }));
      const err = await rejection(() => provider().start({ name: "kd-k3s", log: memoryLogger() }));
      expect(err.message).to.match(
        /^starting k3s cluster "kd-k3s": 1 node Ready not reached after \d+ms \(limit 200ms\); 1 of 1 nodes registered, not Ready: 4f1c2a9e7b3d$/,
      );
      expect(stops).to.equal(1);
    });

    it("reports a container that cannot start as a ClusterError", async () => {
      const err = await rejection(() =>
        provider({ startContainer: async () => Promise.reject(new Error("pull access denied for rancher/k3s")) }).start(
          { name: "kd", log: memoryLogger() },
        ),
      );
      expect(err).to.be.instanceOf(ClusterError);
      expect(err.message).to.equal(`starting k3s container ${K3S_IMAGE}: pull access denied for rancher/k3s`);
    });
  });

  describe("actions", () => {
    it("cannot stop its only node, prunes images with crictl in the container", async () => {
      const cluster = await provider().start({ name: "kd-k3s", log: memoryLogger() });
      expect(await rejection(() => cluster.actions.stopNodes(["4f1c2a9e7b3d"]))).to.be.instanceOf(NotApplicableError);
      await cluster.actions.collectImageGarbage("4f1c2a9e7b3d");
      expect(execs).to.deep.equal([["crictl", "rmi", "--prune"]]);
      execResult = { exitCode: 1, output: "crictl: connection refused" };
      expect((await rejection(() => cluster.actions.collectImageGarbage("4f1c2a9e7b3d"))).message).to.include(
        "failed (exit 1): crictl: connection refused",
      );
      await cluster.stop();
    });
  });
});
