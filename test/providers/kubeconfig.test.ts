import { expect } from "chai";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ClusterError, NotApplicableError, SafetyError, UsageError } from "../../src/errors.ts";
import { kubeconfigProvider, type KubeconfigProviderOptions } from "../../src/providers/kubeconfig/provider.ts";
import { resolveKubeconfig } from "../../src/providers/shared/resolve-kubeconfig.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { node, readyPod } from "../fakes/objects.ts";
import { exists, fakeEnv, rejection, type FakeEnv } from "./helpers.ts";

const TOKEN =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a2QifQ.c2lnbmF0dXJlLXNlY3JldA";

const CA = "-----BEGIN CERTIFICATE-----\nprod-ca\n-----END CERTIFICATE-----\n";

function kubeconfigText(current: string): string {
  return `apiVersion: v1
kind: Config
current-context: ${current}
clusters:
- name: prod
  cluster:
    server: https://prod.example.com:6443
    certificate-authority: certs/prod-ca.crt
- name: kind-ci
  cluster:
    server: https://127.0.0.1:36443
contexts:
- name: prod-eu
  context: { cluster: prod, user: admin }
- name: kind-ci
  context: { cluster: kind-ci, user: ci, namespace: games }
users:
- name: admin
  user:
    token: ${TOKEN}
- name: ci
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
`;
}

describe("kubeconfig provider (existing clusters)", () => {
  let fake: FakeEnv;
  let kube: FakeKube;
  let file: string;
  let opened: { path: string; context?: string }[];

  const provider = (o: Partial<KubeconfigProviderOptions> = {}) =>
    kubeconfigProvider({
      createKube: (path, c) => {
        opened.push({ path, context: c?.context });
        return kube;
      },
      kubeconfig: file,
      allowContexts: [],
      env: fake.env,
      run: undefined,
      tmpRoot: fake.dir,
      nodesReadyTimeoutMs: 300,
      ...o,
    });

  beforeEach(async () => {
    fake = await fakeEnv();
    kube = new FakeKube();
    kube.put(node("kind-ci-control-plane", { providerID: "kind://docker/kind-ci/kind-ci-control-plane" }));
    kube.put(node("kind-ci-worker", { providerID: "kind://docker/kind-ci/kind-ci-worker" }));
    kube.put(node("gke-node-1", { providerID: "gce://project/europe-west1-b/gke-node-1" }));
    file = join(fake.dir, "config");
    await writeFile(file, kubeconfigText("prod-eu"));
    await mkdir(join(fake.dir, "certs"));
    await writeFile(join(fake.dir, "certs", "prod-ca.crt"), CA);
    opened = [];
  });
  afterEach(() => fake.cleanup());

  describe("resolving the kubeconfig and context", () => {
    it("prefers --kubeconfig, then the first $KUBECONFIG entry, then ~/.kube/config", async () => {
      const other = join(fake.dir, "other");
      await writeFile(other, kubeconfigText("kind-ci"));
      await mkdir(join(fake.dir, ".kube"));
      await writeFile(join(fake.dir, ".kube", "config"), kubeconfigText("prod-eu"));
      const env = { KUBECONFIG: `${other}:${file}`, HOME: fake.dir };
      expect((await resolveKubeconfig({ kubeconfig: file, env })).source).to.equal("--kubeconfig");
      const fromEnv = await resolveKubeconfig({ env });
      expect([fromEnv.path, fromEnv.source, fromEnv.context]).to.deep.equal([other, "$KUBECONFIG", "kind-ci"]);
      const fromHome = await resolveKubeconfig({ env: { HOME: fake.dir } });
      expect([fromHome.path, fromHome.source]).to.deep.equal([join(fake.dir, ".kube", "config"), "~/.kube/config"]);
    });

    it("merges every $KUBECONFIG file as kubectl does: first definition wins, current-context from the first that sets it", async () => {
      const a = join(fake.dir, "a.yaml");
      await writeFile(
        a,
        `contexts:\n- name: a-only\n  context: { cluster: shared, user: ua }\nclusters:\n- name: shared\n  cluster: { server: "https://a.example:6443" }\nusers:\n- name: ua\n  user: { token: a-token }\n`,
      );
      await mkdir(join(fake.dir, "sub", "certs"), { recursive: true });
      await writeFile(join(fake.dir, "sub", "certs", "ub.crt"), "ub-cert");
      const b = join(fake.dir, "sub", "b.yaml");
      await writeFile(
        b,
        `current-context: b-ctx\ncontexts:\n- name: b-ctx\n  context: { cluster: shared, user: ub }\n- name: a-only\n  context: { cluster: other, user: ub }\nclusters:\n- name: shared\n  cluster: { server: "https://b.example:6443" }\n- name: other\n  cluster: { server: "https://other.example:6443" }\nusers:\n- name: ub\n  user: { client-certificate: certs/ub.crt, token: b-token }\n`,
      );
      const env = { KUBECONFIG: `${a}:${join(fake.dir, "missing.yaml")}:${b}`, HOME: fake.dir };
      const r = await resolveKubeconfig({ env });
      expect(r).to.deep.include({ path: b, files: [a, b], context: "b-ctx", server: "https://a.example:6443" });
      expect((await resolveKubeconfig({ env, context: "a-only" })).server).to.equal("https://a.example:6443");
      const cluster = await provider({
        kubeconfig: undefined,
        env: { ...fake.env, ...env },
        allowContexts: ["b-ctx@https://a.example:6443"],
      }).start({ name: "r", log: memoryLogger() });
      const copy = parse(await readFile(cluster.kubeconfigPath, "utf8")) as Record<string, unknown>;
      expect(copy.clusters).to.deep.equal([{ name: "shared", cluster: { server: "https://a.example:6443" } }]);
      expect(copy.users).to.deep.equal([
        {
          name: "ub",
          user: { token: "b-token", "client-certificate-data": Buffer.from("ub-cert").toString("base64") },
        },
      ]);
      await cluster.stop();
      const none = await rejection(() => resolveKubeconfig({ env: { KUBECONFIG: `${fake.dir}/x:${fake.dir}/y` } }));
      expect(none.message).to.equal(`none of the kubeconfig files of $KUBECONFIG exists: ${fake.dir}/x, ${fake.dir}/y`);
    });

    it("uses --context over current-context and reports cluster, server, user, namespace without credentials", async () => {
      const r = await resolveKubeconfig({ kubeconfig: file, context: "kind-ci", env: {} });
      expect(r).to.deep.include({
        context: "kind-ci",
        cluster: "kind-ci",
        server: "https://127.0.0.1:36443",
        user: "ci",
        namespace: "games",
      });
      expect(JSON.stringify(r)).not.to.include("LS0t").and.not.include(TOKEN);
    });

    it("lists the contexts when the one asked for is missing", async () => {
      const err = await rejection(() => resolveKubeconfig({ kubeconfig: file, context: "staging", env: {} }));
      expect(err).to.be.instanceOf(UsageError);
      expect(err.message).to.equal(
        `context "staging" is not in kubeconfig ${file} (from --kubeconfig); it has: prod-eu, kind-ci`,
      );
    });

    it("names the file and position of invalid YAML without echoing its content", async () => {
      await writeFile(file, `users:\n- name: x\n  user:\n    token: ${TOKEN}\n  bad: [unclosed\n`);
      const err = await rejection(() => resolveKubeconfig({ kubeconfig: file, env: {} }));
      expect(err.message).to.match(new RegExp(`^${file}:\\d+:\\d+: kubeconfig is not valid YAML`));
      expect(err.message).not.to.include(TOKEN);
    });

    it("is not applicable, with the reason, when the file does not exist", async () => {
      const v = await provider({ kubeconfig: join(fake.dir, "nope") }).applicable();
      expect(v.ok === false && v.reason).to.equal(
        `kubeconfig ${join(fake.dir, "nope")} (from --kubeconfig) does not exist`,
      );
      const ok = await provider().applicable();
      expect(ok.ok && ok.detail).to.equal(`context "prod-eu" from ${file} (server https://prod.example.com:6443)`);
    });
  });

  describe("the context guard at start", () => {
    it("refuses a context nobody allowed, before touching the cluster, saying how to allow it", async () => {
      const err = await rejection(() =>
        provider({ plan: ["apply Deployment api", "stopNodes zone-b"] }).start({ name: "run-1", log: memoryLogger() }),
      );
      expect(err).to.be.instanceOf(SafetyError);
      expect(err.message)
        .to.include('context "prod-eu"')
        .and.include("--allow-context prod-eu")
        .and.include("KUBEDRILL_ALLOW_CONTEXTS=prod-eu")
        .and.include("  - stopNodes zone-b");
      expect(opened).to.deep.equal([]);
      expect(kube.calls).to.deep.equal([]);
    });

    it("starts when allowed by --allow-context, with only the chosen context pinned for every client", async () => {
      const cluster = await provider({ context: "kind-ci", allowContexts: ["kind-ci"] }).start({
        name: "run-1",
        log: memoryLogger(),
      });
      expect(cluster.provider).to.equal("kubeconfig");
      expect(cluster.context).to.equal("kind-ci");
      expect(opened).to.deep.equal([{ path: cluster.kubeconfigPath, context: "kind-ci" }]);
      const copy = parse(await readFile(cluster.kubeconfigPath, "utf8")) as Record<string, unknown>;
      expect(copy["current-context"]).to.equal("kind-ci");
      expect(copy.contexts).to.deep.equal([
        { name: "kind-ci", context: { cluster: "kind-ci", user: "ci", namespace: "games" } },
      ]);
      expect(copy.clusters).to.deep.equal([{ name: "kind-ci", cluster: { server: "https://127.0.0.1:36443" } }]);
      expect(JSON.stringify(copy)).not.to.include(TOKEN, "no other context's credentials").and.not.include("prod");
      await cluster.stop();
      await cluster.stop();
      expect(await exists(cluster.kubeconfigPath)).to.equal(false);
      expect(await exists(dirname(cluster.kubeconfigPath))).to.equal(false);
      expect(await readFile(file, "utf8")).to.equal(kubeconfigText("prod-eu"), "the user's kubeconfig is untouched");
    });

    it("pins a private flattened copy even for the current-context, so a later use-context cannot redirect the run", async () => {
      fake.env.KUBEDRILL_ALLOW_CONTEXTS = "staging, prod-eu";
      const cluster = await provider().start({ name: "run-1", log: memoryLogger() });
      expect(cluster.kubeconfigPath).not.to.equal(file);
      expect(cluster.capabilities).to.deep.equal(
        { nodes: "real", realDataPlane: true },
        "no StorageClass: no dynamic provisioner; no kube-dns Service: no cluster DNS",
      );
      // `kubectl config use-context kind-ci` in another terminal, after the guard's check
      await writeFile(file, kubeconfigText("kind-ci"));
      const copy = parse(await readFile(cluster.kubeconfigPath, "utf8")) as {
        "current-context": string;
        contexts: { name: string }[];
        clusters: { cluster: Record<string, string> }[];
        users: { name: string; user: Record<string, string> }[];
      };
      expect(copy["current-context"]).to.equal("prod-eu");
      expect(copy.contexts.map((c) => c.name)).to.deep.equal(["prod-eu"]);
      expect(copy.clusters[0]!.cluster).to.deep.equal({
        server: "https://prod.example.com:6443",
        "certificate-authority-data": Buffer.from(CA).toString("base64"),
      });
      expect(copy.users).to.deep.equal([{ name: "admin", user: { token: TOKEN } }]);
      expect(JSON.stringify(copy)).not.to.include(
        "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==",
        "the other user's key is not in the copy",
      );
      expect(opened).to.deep.equal([{ path: cluster.kubeconfigPath, context: "prod-eu" }]);
      expect((await stat(cluster.kubeconfigPath)).mode & 0o777).to.equal(0o600);
      expect((await stat(dirname(cluster.kubeconfigPath))).mode & 0o777).to.equal(0o700);
      await cluster.stop();
      expect(await exists(dirname(cluster.kubeconfigPath))).to.equal(false);
    });

    it("removes the pinned copy when the start fails", async () => {
      kube.put(node("gke-node-1", { ready: false }));
      await rejection(() => provider({ allowContexts: ["prod-eu"] }).start({ name: "r", log: memoryLogger() }));
      expect(opened).to.have.length(1);
      expect(await exists(dirname(opened[0]!.path))).to.equal(false);
    });

    it("binds an allowance to the server (NAME@SERVER) and refuses the same name pointing elsewhere", async () => {
      const log = memoryLogger();
      const ok = await provider({ allowContexts: ["prod-eu@https://PROD.example.com:6443/"] }).start({
        name: "r",
        log,
      });
      await ok.stop();
      expect(log.lines.map((l) => l.message).join("\n")).to.include(
        "allowed by --allow-context prod-eu@https://PROD.example.com:6443/ (bound to server https://prod.example.com:6443)",
      );
      fake.env.KUBEDRILL_ALLOW_CONTEXTS = "prod-eu@https://staging.example.com:6443";
      const err = await rejection(() => provider().start({ name: "r", log: memoryLogger() }));
      expect(err).to.be.instanceOf(SafetyError);
      expect(err.message.split("\n").slice(0, 2)).to.deep.equal([
        'refusing to run destructive steps against Kubernetes context "prod-eu" (server https://prod.example.com:6443): it is not in the allowed contexts ("prod-eu@https://staging.example.com:6443")',
        '"prod-eu@https://staging.example.com:6443" is bound to server https://staging.example.com:6443, but context "prod-eu" points at https://prod.example.com:6443',
      ]);
      expect(err.message).to.include("--allow-context prod-eu@https://prod.example.com:6443 (repeatable)");
      expect(opened).to.have.length(1, "only the first, allowed, start opened a client");
    });

    it("still allows by name only, saying which server the name matched", async () => {
      const log = memoryLogger();
      const cluster = await provider({ allowContexts: ["prod-eu"] }).start({ name: "r", log });
      await cluster.stop();
      expect(log.lines.map((l) => l.message).join("\n")).to.include(
        "allowed by --allow-context prod-eu (name only: it matched server https://prod.example.com:6443; to bind it, use prod-eu@https://prod.example.com:6443)",
      );
    });

    it("never refuses a dry run", async () => {
      const cluster = await provider({ dryRun: true }).start({ name: "run-1", log: memoryLogger() });
      expect(cluster.name).to.equal("run-1");
    });

    it("fails with the server named (not the token) when the API server cannot be reached", async () => {
      kube.failAlways("serverVersion", new Error(`connect ECONNREFUSED; Authorization: Bearer ${TOKEN}`));
      const err = await rejection(() =>
        provider({ allowContexts: ["prod-eu"] }).start({ name: "r", log: memoryLogger() }),
      );
      expect(err).to.be.instanceOf(ClusterError);
      expect(err.message)
        .to.include('cannot reach the API server of context "prod-eu" at https://prod.example.com:6443')
        .and.not.include(TOKEN);
    });

    it("requires every node Ready, naming the ones that are not", async () => {
      kube.put(node("gke-node-1", { ready: false }));
      const err = await rejection(() =>
        provider({ allowContexts: ["prod-eu"] }).start({ name: "r", log: memoryLogger() }),
      );
      expect(err.message).to.include("a game day needs every node Ready first").and.include("not Ready: gke-node-1");
    });
  });

  describe("fault actions on a cluster kubedrill did not create", () => {
    it("refuses to stop nodes unless node faults are allowed", async () => {
      const cluster = await provider({ allowContexts: ["prod-eu"] }).start({ name: "r", log: memoryLogger() });
      const err = await rejection(() => cluster.actions.stopNodes(["gke-node-1"]));
      expect(err).to.be.instanceOf(SafetyError);
      expect(err.message).to.include("refusing to stop node gke-node-1").and.include("--allow-node-faults");
      expect(await fake.calls()).to.deep.equal([]);
    });

    it("with allowNodeFaults, stops kind nodes through docker, and refuses other nodes", async () => {
      const cluster = await provider({ allowContexts: ["prod-eu"], allowNodeFaults: true }).start({
        name: "r",
        log: memoryLogger(),
      });
      const handle = await cluster.actions.stopNodes(["kind-ci-worker"]);
      await handle.revert();
      expect(await fake.calls()).to.deep.equal(["docker stop kind-ci-worker", "docker start kind-ci-worker"]);
      const err = await rejection(() => cluster.actions.stopNodes(["gke-node-1"]));
      expect(err).to.be.instanceOf(NotApplicableError);
      expect(err.message).to.include('providerID "gce://project/europe-west1-b/gke-node-1"');
    });

    it("fills a disk with the filler pod (16 GiB limit) and frees it by deleting the filler", async () => {
      kube.onCreate = (pod) => setImmediate(() => kube.put(readyPod(pod)));
      const cluster = await provider({ allowContexts: ["prod-eu"], runId: "run-7" }).start({
        name: "r",
        log: memoryLogger(),
      });
      const handle = await cluster.actions.fillDisk("gke-node-1");
      const [pod] = kube.objects("Pod");
      expect(pod!.metadata.labels!["kubedrill.io/run-id"]).to.equal("run-7");
      expect(pod!.spec.containers[0].env).to.deep.include({ name: "MAX_KB", value: String(16 * 1024 * 1024) });
      await cluster.actions.collectImageGarbage("gke-node-1");
      expect(kube.objects("Pod")).to.have.length(0);
      await handle.revert();
      const err = await rejection(() => cluster.actions.fillDisk("no-such-node"));
      expect(err.message).to.equal('fillDisk: node "no-such-node" does not exist in context "prod-eu"');
    });
  });
});
