import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ClusterError, UsageError } from "../../src/errors.ts";
import { DEFAULT_KIND_CONFIG } from "../../src/providers/kind/config.ts";
import { kindProvider, type KindProviderOptions, type StartedKindCluster } from "../../src/providers/kind/provider.ts";
import { FakeClock } from "../../src/util/clock.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { node, readyPod } from "../fakes/objects.ts";
import { exists, fakeEnv, rejection, type FakeEnv } from "./helpers.ts";
import { fakeRegistry } from "../fakes/registry.ts";
import { processResult } from "../fakes/process.ts";
import { AUTH_REGISTRY_CREDENTIALS } from "../../src/providers/shared/images/names.ts";
import { kindRegistryContainer } from "../../src/providers/kind/registries.ts";
import { KIND_REGISTRY_BLOCK_CHAIN } from "../../src/providers/kind/registry-block.ts";
import { processRunner, type ProcessRunner } from "../../src/util/process.ts";

const NAME = "kd-run1";
const NODES = ["control-plane", "worker", "worker2", "worker3", "worker4", "worker5", "worker6"].map(
  (n) => `${NAME}-${n}`,
);

describe("kind provider (contract tests with fake kind/docker/kubectl)", function () {
  let fake: FakeEnv;
  let kube: FakeKube;
  let kubeCalls: { path: string; context?: string; text: string }[];
  let started: StartedKindCluster | undefined;

  const provider = (vars: Record<string, string> = {}, extra: Partial<KindProviderOptions> = {}) =>
    kindProvider({
      // The same env object (when no vars): tests may change fake behaviour mid-test.
      env: Object.keys(vars).length > 0 ? { ...fake.env, ...vars } : fake.env,
      tmpRoot: fake.dir,
      nodesReadyTimeoutMs: 2000,
      createKube: (path, o) => {
        kubeCalls.push({ path, context: o?.context, text: "" });
        void readFile(path, "utf8").then(
          (t) => (kubeCalls.at(-1)!.text = t),
          () => undefined,
        );
        return kube;
      },
      ...extra,
    });

  beforeEach(async () => {
    fake = await fakeEnv();
    kube = new FakeKube();
    for (const n of NODES) kube.put(node(n));
    kubeCalls = [];
    started = undefined;
  });
  afterEach(async () => {
    await started?.stop().catch(() => undefined);
    await fake.cleanup();
  });

  describe("applicable()", () => {
    it("is applicable when kind and docker are on PATH and `docker info` answers", async () => {
      const verdict = await provider().applicable();
      expect(verdict).to.deep.include({ ok: true });
      expect(await fake.calls()).to.deep.equal(["docker info --format {{.ServerVersion}}"]);
    });

    it("names kind when kind is missing from PATH", async () => {
      const only = await fakeEnv({ tools: ["docker"] });
      try {
        const verdict = await kindProvider({ env: only.env, createKube: () => kube }).applicable();
        expect(verdict.ok).to.equal(false);
        expect(verdict.ok === false && verdict.reason)
          .to.match(/^kind not found on PATH/)
          .and.match(/kind\.sigs\.k8s\.io/);
        expect(await only.calls()).to.deep.equal([], "no docker call once a binary is missing");
      } finally {
        await only.cleanup();
      }
    });

    it("names docker when docker is missing, and both when both are", async () => {
      const onlyKind = await fakeEnv({ tools: ["kind"] });
      const none = await fakeEnv({ tools: [] });
      try {
        const a = await kindProvider({ env: onlyKind.env, createKube: () => kube }).applicable();
        expect(a.ok === false && a.reason).to.match(/^docker not found on PATH/);
        const b = await kindProvider({ env: none.env, createKube: () => kube }).applicable();
        expect(b.ok === false && b.reason).to.match(/^kind and docker not found on PATH/);
      } finally {
        await onlyKind.cleanup();
        await none.cleanup();
      }
    });

    it("requires kubectl only when add-ons are declared", async () => {
      const noKubectl = await fakeEnv({ tools: ["kind", "docker"] });
      try {
        expect((await kindProvider({ env: noKubectl.env, createKube: () => kube }).applicable()).ok).to.equal(true);
        const v = await kindProvider({
          env: noKubectl.env,
          createKube: () => kube,
          addons: ["ingress-nginx"],
        }).applicable();
        expect(v.ok === false && v.reason).to.match(/^kubectl not found on PATH/);
      } finally {
        await noKubectl.cleanup();
      }
    });

    it("says the Docker engine does not answer when `docker info` fails", async () => {
      const v = await provider({ FAKE_DOCKER_INFO_EXIT: "1" }).applicable();
      expect(v.ok).to.equal(false);
      expect(v.ok === false && v.reason)
        .to.include("Docker engine does not answer")
        .and.include("Cannot connect to the Docker daemon")
        .and.include("exit 1");
    });

    it("gives up on a `docker info` that hangs, naming the limit", async () => {
      const v = await provider({ FAKE_DOCKER_INFO_SLEEP: "5" }, { dockerInfoTimeoutMs: 300 }).applicable();
      expect(v.ok === false && v.reason).to.include("did not finish within 300ms");
    });
  });

  describe("start() and stop()", () => {
    it("creates the cluster with the exact kind argv, waits for 7 Ready nodes, and deletes it on stop", async () => {
      started = await provider().start({ name: NAME, log: memoryLogger() });
      const calls = await fake.calls();
      expect(calls[0]).to.equal("kind get clusters");
      expect(calls[1]).to.equal(
        `kind create cluster --name ${NAME} --config ${DEFAULT_KIND_CONFIG} --wait 120s --kubeconfig ${started!.kubeconfigPath}`,
      );
      expect(calls).to.have.length(2);
      expect(started!.kubeconfigPath.startsWith(fake.dir)).to.equal(true);
      expect(kubeCalls).to.have.length(1);
      expect(kubeCalls[0]!.path).to.equal(started!.kubeconfigPath);
      expect(kubeCalls[0]!.context).to.equal(`kind-${NAME}`);
      expect(await readFile(started!.kubeconfigPath, "utf8")).to.include(`current-context: kind-${NAME}`);
      expect(kube.callsOf("list").some((c) => (c.args[0] as { kind: string }).kind === "Node")).to.equal(true);
      expect(started!.capabilities).to.deep.equal({
        dynamicProvisioner: "rancher.io/local-path",
        realDataPlane: true,
        clusterDNS: true,
      });
      expect(started!.network).to.deep.equal({ podCIDR: "10.244.0.0/16", serviceCIDR: "10.96.0.0/16" });

      const tmp = dirname(started!.kubeconfigPath);
      await started!.stop();
      await started!.stop();
      await started[Symbol.asyncDispose]();
      const after = await fake.calls();
      expect(after.slice(2)).to.deep.equal([`kind delete cluster --name ${NAME}`], "stop is idempotent: one delete");
      expect(await exists(tmp)).to.equal(false, "the temp dir is removed");
      started = undefined;
    });

    it("passes --image when a node image is pinned", async () => {
      started = await provider({}, { nodeImage: "kindest/node:v1.35.0" }).start({ name: NAME, log: memoryLogger() });
      expect((await fake.calls())[1]).to.match(/ --kubeconfig \S+ --image kindest\/node:v1\.35\.0$/);
    });

    it("deletes the cluster and rethrows with context when `kind create` fails", async () => {
      const err = await rejection(() =>
        provider({ FAKE_KIND_CREATE_CLUSTER_EXIT: "1" }).start({ name: NAME, log: memoryLogger() }),
      );
      expect(err).to.be.instanceOf(ClusterError);
      expect(err.message).to.match(
        new RegExp(`^starting kind cluster "${NAME}": \`kind create cluster --name ${NAME} `),
      );
      expect(err.message).to.include("failed (exit 1)").and.include("failed to init node with kubeadm");
      const calls = await fake.calls();
      expect(calls.map((c) => c.split(" ").slice(0, 3).join(" "))).to.deep.equal([
        "kind get clusters",
        "kind create cluster",
        "kind delete cluster",
      ]);
      expect(calls[2]).to.equal(`kind delete cluster --name ${NAME}`);
      expect(kubeCalls).to.have.length(0);
    });

    it("deletes the cluster when its nodes never turn Ready", async () => {
      const clock = new FakeClock();
      kube = new FakeKube(clock);
      NODES.forEach((n, i) => kube.put(node(n, { ready: i < 5 })));
      const outcome = rejection(() =>
        provider({}, { nodesReadyTimeoutMs: 60_000, clock }).start({ name: NAME, log: memoryLogger() }),
      );
      while (clock.pendingSleeps === 0) await new Promise((r) => setImmediate(r)); // `kind create` ran; nodes awaited
      await clock.advance(59_999);
      expect(kube.liveWatches("Node")).to.have.length(1, "still waiting just before the deadline");
      expect((await fake.calls()).at(-1)).to.match(/^kind create cluster /, "and nothing deleted yet");
      await clock.advance(1);
      const err = await outcome;
      expect(err.message).to.include("7 nodes Ready not reached").and.include(`not Ready: ${NODES[5]}, ${NODES[6]}`);
      expect((await fake.calls()).at(-1)).to.equal(`kind delete cluster --name ${NAME}`);
      expect(kube.liveWatches().length).to.equal(0, "the node watch is stopped");
    });

    it("deletes a half-created cluster and rethrows the abort reason when interrupted", async () => {
      const controller = new AbortController();
      const reason = new Error("interrupted by SIGINT");
      const pending = provider({ FAKE_KIND_CREATE_CLUSTER_SLEEP: "5" }).start({
        name: NAME,
        log: memoryLogger(),
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(reason), 200);
      const t0 = Date.now();
      expect(await rejection(() => pending)).to.equal(reason);
      expect(Date.now() - t0).to.be.below(3000);
      expect((await fake.calls()).at(-1)).to.equal(`kind delete cluster --name ${NAME}`);
    });

    it("refuses to create over an existing cluster and never deletes it", async () => {
      const err = await rejection(() =>
        provider({ FAKE_KIND_GET_CLUSTERS_STDOUT: `other\n${NAME}` }).start({ name: NAME, log: memoryLogger() }),
      );
      expect(err).to.be.instanceOf(UsageError);
      expect(err.message)
        .to.include(`kind cluster named "${NAME}" already exists`)
        .and.include(`kind delete cluster --name ${NAME}`);
      expect(await fake.calls()).to.deep.equal(["kind get clusters"]);
    });

    it("reuses an existing cluster through `kind get kubeconfig` and leaves it running", async () => {
      started = await provider({ FAKE_KIND_GET_CLUSTERS_STDOUT: NAME }, { reuse: true }).start({
        name: NAME,
        log: memoryLogger(),
      });
      expect(await fake.calls()).to.deep.equal(["kind get clusters", `kind get kubeconfig --name ${NAME}`]);
      expect(await readFile(started!.kubeconfigPath, "utf8")).to.include(`name: kind-${NAME}`);
      await started!.stop();
      expect(await fake.calls()).to.have.length(2, "no delete for a reused cluster");
      expect(await exists(started!.kubeconfigPath)).to.equal(false);
      started = undefined;
    });

    it("rejects a name kind cannot use before running anything", async () => {
      const err = await rejection(() => provider().start({ name: "Bad_Name", log: memoryLogger() }));
      expect(err).to.be.instanceOf(UsageError);
      expect(await fake.calls()).to.deep.equal([]);
    });
  });

  describe("add-ons", () => {
    it("creates from a derived config with disableDefaultCNI for calico and applies the pinned manifests", async () => {
      started = await provider({}, { addons: ["ingress-nginx", "calico"] }).start({ name: NAME, log: memoryLogger() });
      const calls = await fake.calls();
      const tmp = dirname(started!.kubeconfigPath);
      expect(calls[1]).to.equal(
        `kind create cluster --name ${NAME} --config ${tmp}/kind-config.yaml --wait 0s --kubeconfig ${started!.kubeconfigPath}`,
      );
      const k = `kubectl --kubeconfig ${started!.kubeconfigPath} --context kind-${NAME}`;
      expect(calls.slice(2)).to.deep.equal([
        `${k} apply --server-side --force-conflicts -f https://raw.githubusercontent.com/projectcalico/calico/v3.29.3/manifests/calico.yaml`,
        `${k} --namespace kube-system rollout status daemonset/calico-node --timeout=300s`,
        `${k} apply --server-side --force-conflicts -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml`,
        `${k} --namespace ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=180s`,
      ]);
    });

    it("deletes the cluster when an add-on fails to install", async () => {
      const err = await rejection(() =>
        provider({ FAKE_KUBECTL_APPLY_EXIT: "1" }, { addons: ["calico"] }).start({ name: NAME, log: memoryLogger() }),
      );
      expect(err.message).to.include("installing calico v3.29.3").and.include("failed (exit 1)");
      expect((await fake.calls()).at(-1)).to.equal(`kind delete cluster --name ${NAME}`);
    });

    it("installs ingress-nginx after start, once", async () => {
      started = await provider().start({ name: NAME, log: memoryLogger() });
      const kubectl = async () => (await fake.calls()).filter((c) => c.startsWith("kubectl "));
      expect(await kubectl()).to.deep.equal([]);
      await started!.installAddons(["ingress-nginx"]);
      const k = `kubectl --kubeconfig ${started!.kubeconfigPath} --context kind-${NAME}`;
      expect(await kubectl()).to.deep.equal([
        `${k} apply --server-side --force-conflicts -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml`,
        `${k} --namespace ingress-nginx rollout status deployment/ingress-nginx-controller --timeout=180s`,
      ]);
      await started!.installAddons(["ingress-nginx"]);
      expect(await kubectl()).to.have.length(2, "an installed add-on is not applied again");
      const err = await rejection(() => started!.installAddons(["calico"]));
      expect(err.message).to.include("calico must be declared before");
    });

    it("rejects unknown add-ons at construction", () => {
      expect(() => kindProvider({ createKube: () => kube, addons: ["traefik" as "calico"] })).to.throw(
        UsageError,
        /unknown add-on "traefik"/,
      );
    });
  });

  describe("actions", () => {
    beforeEach(async () => {
      started = await provider().start({ name: NAME, log: memoryLogger() });
    });
    const callsAfterStart = async () => (await fake.calls()).slice(2);

    it("stops a zone's node containers with docker stop and starts them again on revert (idempotent)", async () => {
      const zoneB = [`${NAME}-worker3`, `${NAME}-worker4`];
      const handle = await started!.actions.stopNodes(zoneB);
      expect(await callsAfterStart()).to.deep.equal([
        `kind get nodes --name ${NAME}`,
        `docker stop ${zoneB[0]}`,
        `docker stop ${zoneB[1]}`,
      ]);
      await handle.revert();
      await handle.revert();
      await handle[Symbol.asyncDispose]();
      expect((await callsAfterStart()).slice(3)).to.deep.equal([
        `docker start ${zoneB[0]}`,
        `docker start ${zoneB[1]}`,
      ]);
    });

    it("tolerates a container that is already running on revert, and counts it as reverted", async () => {
      const handle = await started!.actions.stopNodes([`${NAME}-worker`]);
      fake.env.FAKE_DOCKER_START_EXIT = "1";
      fake.env.FAKE_DOCKER_START_STDERR = `Error response from daemon: container ${NAME}-worker is already running`;
      const starts = async () => (await callsAfterStart()).filter((c) => c.startsWith("docker start"));
      await handle.revert(); // rejects if "already running" were taken for a failure
      expect(await starts()).to.deep.equal([`docker start ${NAME}-worker`]);
      await handle.revert();
      expect(await starts()).to.have.length(1, "a revert that succeeded is not repeated");

      // the same exit status with another error is a failure: the tolerance is for that message only
      const other = await started!.actions.stopNodes([`${NAME}-worker2`]);
      fake.env.FAKE_DOCKER_START_STDERR = `Error response from daemon: No such container: ${NAME}-worker2`;
      const err = await rejection(() => other.revert());
      expect(err.message).to.include("could not start 1 of 1 node containers again").and.include("No such container");
    });

    it("reports a revert that fails, and tries again on the next call", async () => {
      const handle = await started!.actions.stopNodes([`${NAME}-worker`, `${NAME}-worker2`]);
      fake.env.FAKE_DOCKER_START_KD_RUN1_WORKER_EXIT = "1";
      const err = await rejection(() => handle.revert());
      expect(err.message)
        .to.include("could not start 1 of 2 node containers again")
        .and.include(`docker start ${NAME}-worker\``);
      delete fake.env.FAKE_DOCKER_START_KD_RUN1_WORKER_EXIT;
      await handle.revert();
      const starts = (await callsAfterStart()).filter((c) => c.startsWith("docker start"));
      expect(starts).to.deep.equal([
        `docker start ${NAME}-worker`,
        `docker start ${NAME}-worker2`,
        `docker start ${NAME}-worker`,
        `docker start ${NAME}-worker2`,
      ]);
      await handle.revert();
      expect((await callsAfterStart()).filter((c) => c.startsWith("docker start"))).to.have.length(
        4,
        "a revert that succeeded is not repeated",
      );
    });

    it("starts the already-stopped containers, and the one whose stop failed, again when a later stop fails", async () => {
      fake.env.FAKE_DOCKER_STOP_KD_RUN1_WORKER4_EXIT = "1";
      const err = await rejection(() => started!.actions.stopNodes([`${NAME}-worker3`, `${NAME}-worker4`]));
      expect(err).to.be.instanceOf(ClusterError);
      expect(err.message).to.include(`stopping node container ${NAME}-worker4`).and.include("No such container");
      // the daemon may have stopped worker4 although the CLI failed: it is started again too
      expect((await callsAfterStart()).slice(1)).to.deep.equal([
        `docker stop ${NAME}-worker3`,
        `docker stop ${NAME}-worker4`,
        `docker start ${NAME}-worker3`,
        `docker start ${NAME}-worker4`,
      ]);
    });

    it("never stops a container that is not a node of this cluster", async () => {
      const err = await rejection(() => started!.actions.stopNodes([`${NAME}-worker3`, "postgres"]));
      expect(err).to.be.instanceOf(UsageError);
      expect(err.message).to.include(`"postgres" is not a node of kind cluster "${NAME}"`);
      expect((await callsAfterStart()).filter((c) => c.startsWith("docker"))).to.deep.equal([]);
    });

    it("fills a node's disk with a bounded, run-labelled filler pod and deletes it on revert", async () => {
      kube.onCreate = (pod) => setImmediate(() => kube.put(readyPod(pod)));
      const handle = await started!.actions.fillDisk(`${NAME}-worker5`);
      expect(handle.simulated).to.equal(false);
      const [pod] = kube.objects("Pod");
      expect(pod!.spec.nodeName).to.equal(`${NAME}-worker5`);
      expect(pod!.metadata.labels).to.include({ "kubedrill.io/run-id": NAME, "kubedrill.io/role": "disk-filler" });
      expect(pod!.spec.volumes[0].emptyDir.sizeLimit).to.match(/^\d+$/);
      await handle.revert();
      await handle.revert();
      expect(kube.objects("Pod")).to.have.length(0);
      expect(kube.callsOf("delete")).to.have.length(1);
    });

    it("prunes unused images inside the node container", async () => {
      await started!.actions.collectImageGarbage(`${NAME}-worker5`);
      expect((await callsAfterStart()).at(-1)).to.equal(`docker exec ${NAME}-worker5 crictl rmi --prune`);
      fake.env.FAKE_DOCKER_EXEC_EXIT = "1";
      const err = await rejection(() => started!.actions.collectImageGarbage(`${NAME}-worker5`));
      expect(err.message).to.include(`pruning unused images on node ${NAME}-worker5`).and.include("is not running");
    });
  });

  describe("kubedrill's registries (imageBinaries given)", function () {
    this.timeout(20_000);
    let open: Awaited<ReturnType<typeof fakeRegistry>>;
    let auth: Awaited<ReturnType<typeof fakeRegistry>>;
    let dockerCalls: string[];
    beforeEach(async () => {
      open = await fakeRegistry();
      auth = await fakeRegistry(AUTH_REGISTRY_CREDENTIALS);
      dockerCalls = [];
    });
    afterEach(async () => {
      await open.close();
      await auth.close();
    });

    /** kind and kubectl from the shell fakes; the registry containers' docker verbs answered here. */
    const runner = (): ProcessRunner => {
      const shell = processRunner(fake.env);
      const rules = new Map<string, string[]>();
      return async (argv, opts) => {
        const [tool, verb] = argv;
        if (tool === "/fake/registry") return processResult({ stdout: "kubedrill:$2y$05$hash\n" });
        if (tool !== "docker" || !["run", "port", "inspect", "ps", "rm", "exec"].includes(verb!))
          return shell(argv, opts);
        dockerCalls.push(argv.join(" "));
        const name = verb === "run" ? argv[argv.indexOf("--name") + 1]! : verb === "port" ? argv[2]! : argv.at(-1)!;
        const isAuth = name.endsWith("-registry-auth");
        if (verb === "run") return processResult({ stdout: `id-${name}\n` });
        if (verb === "port") return processResult({ stdout: `127.0.0.1:${isAuth ? auth.port : open.port}\n` });
        if (verb === "inspect") return processResult({ stdout: isAuth ? "172.18.0.9\n" : "172.18.0.8\n" });
        if (verb === "exec" && argv[3] === "iptables") {
          // one node's rules, as `iptables -S` prints them
          const node = argv[2]!;
          const r = rules.get(node) ?? [];
          rules.set(node, r);
          const op = argv[5];
          if (op === "-S") return processResult({ stdout: r.join("\n") });
          if (op === "-N") r.push(`-N ${argv[6]}`);
          if (op === "-A") r.push(["-A", ...argv.slice(6)].join(" "));
          if (op === "-I") r.push(`-A OUTPUT ${argv.slice(8).join(" ")}`);
          if (op === "-D") r.splice(r.indexOf(`-A OUTPUT ${argv.slice(7).join(" ")}`), 1);
          if (op === "-F")
            rules.set(
              node,
              r.filter((l) => !l.startsWith(`-A ${argv[6]} `)),
            );
          if (op === "-X")
            rules.set(
              node,
              (rules.get(node) ?? []).filter((l) => l !== `-N ${argv[6]}`),
            );
        }
        return processResult();
      };
    };

    it("serves kubedrill's images and the registry that requires credentials, and gives the cluster those capabilities", async () => {
      const log = memoryLogger();
      started = await provider(
        {},
        {
          run: runner(),
          imageBinaries: async () => ({ registry: "/fake/registry", app: "/bin/busybox" }),
        },
      ).start({ name: NAME, log });
      expect(started.capabilities).to.deep.include({
        kubedrillImages: true,
        authRegistry: true,
        nodeEgressFirewall: true,
        registry: {
          host: "registry.kubedrill.local",
          image: "registry.kubedrill.local/private/app:v1",
          ...AUTH_REGISTRY_CREDENTIALS,
        },
      });
      expect([...open.manifests.keys()].sort()).to.deep.equal([
        "kubedrill.local/app:v1",
        "kubedrill.local/transcoder:v1",
      ]);
      expect([...auth.manifests.keys()]).to.deep.equal(["registry.kubedrill.local/private/app:v1"]);
      // every node's containerd is pointed at both registries
      const mirrors = dockerCalls.filter((c) => c.startsWith("docker exec -i "));
      expect(mirrors).to.have.length(NODES.length * 2);
      expect(log.lines.map((l) => l.message).join("\n")).not.to.include(AUTH_REGISTRY_CREDENTIALS.password);

      // blockRegistry drops the nodes' packets to both registry containers, and its revert takes that out
      const blocked = await started.actions.blockRegistry!([`${NAME}-worker`]);
      expect(dockerCalls).to.include(
        `docker exec ${NAME}-worker iptables -w -A ${KIND_REGISTRY_BLOCK_CHAIN} -d 172.18.0.9/32 -p tcp --dport 5000 -j DROP`,
      );
      await blocked.revert();
      expect(dockerCalls.at(-1)).to.equal(`docker exec ${NAME}-worker iptables -w -X ${KIND_REGISTRY_BLOCK_CHAIN}`);

      // stop: the containers go before the cluster (the auth registry mounts a file from the temp dir)
      const before = (await fake.calls()).length;
      await started.stop();
      expect(dockerCalls.at(-1)).to.equal(
        `docker rm -f id-${kindRegistryContainer(NAME, "open")} id-${kindRegistryContainer(NAME, "auth")}`,
      );
      expect((await fake.calls()).slice(before)).to.deep.equal([`kind delete cluster --name ${NAME}`]);
      started = undefined;
    });

    it("starts the cluster without them, saying why, when the images cannot be built", async () => {
      const log = memoryLogger();
      started = await provider(
        {},
        {
          run: runner(),
          imageBinaries: async () => {
            throw new Error("`go` was not found on PATH");
          },
        },
      ).start({ name: NAME, log });
      expect(started.capabilities).to.deep.equal({
        dynamicProvisioner: "rancher.io/local-path",
        realDataPlane: true,
        clusterDNS: true,
      });
      expect(started.actions.blockRegistry).to.equal(undefined);
      expect(dockerCalls).to.deep.equal([]);
      const warning = log.lines.find((l) => l.level === "warn")?.message;
      expect(warning).to.match(
        /registries are not running, so scenarios that need .* will be skipped: `go` was not found on PATH/,
      );
    });
  });
});
