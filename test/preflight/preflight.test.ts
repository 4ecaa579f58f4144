import { expect } from "chai";
import { createPreflightCommand, type PreflightArgs, type PreflightDeps } from "../../src/cli/commands/preflight.ts";
import { createRunCommand } from "../../src/cli/commands/run.ts";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { ClusterError, UsageError } from "../../src/errors.ts";
import { defaultRegistries } from "../../src/pipeline/registries.ts";
import { buildScenarios } from "../../src/pipeline/check.ts";
import { SourceFiles } from "../../src/pipeline/source-files.ts";
import { preflightScenario, type ContextVerdict } from "../../src/preflight/check.ts";
import { scenarioNeeds } from "../../src/preflight/needs.ts";
import type { Scenario } from "../../src/scenario/types.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { FakeKube } from "../fakes/kube.ts";
import { node } from "../fakes/objects.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { args, doubles } from "../cli/run-doubles.ts";

const CONTEXT_OK: ContextVerdict = { ok: true, detail: "allowed" };

/** A game-day drill: a Deployment of its own, an IPPool, nodes of zone-b cordoned, pods restarted in shop. */
function drill(o: { requiresNodes?: number; crdInSetup?: boolean } = {}): Scenario {
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "ippools.crd.projectcalico.org" },
    spec: {
      group: "crd.projectcalico.org",
      names: { kind: "IPPool", plural: "ippools" },
      scope: "Cluster",
      versions: [{ name: "v1" }],
    },
  };
  return scenario("drill", {
    ...(o.requiresNodes ? { requires: { nodes: o.requiresNodes } } : {}),
    setup: {
      steps: [
        spec(
          "apply",
          {
            objects: [
              ...(o.crdInSetup ? [crd] : []),
              { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: {} },
            ],
          },
          "spec.setup.steps[0].apply",
        ),
      ],
    },
    steadyState: [spec("podsReady", { selector: "app=api" }, "spec.steadyState[0].podsReady")],
    fault: [
      spec("cordon", { nodes: { selector: "topology.kubernetes.io/zone=zone-b" } }, "spec.fault[0].cordon"),
      spec(
        "patch",
        {
          target: { kind: "IPPool", apiVersion: "crd.projectcalico.org/v1", name: "default-pool" },
          patch: { spec: { disabled: true } },
        },
        "spec.fault[1].patch",
      ),
      spec("restartPods", { selector: "app=checkout", namespace: "shop" }, "spec.fault[2].restartPods"),
    ],
    detect: { signals: [spec("event", { reason: "Killing" }, "spec.detect.signals[0].event")] },
  });
}

const build = (s: Scenario) => {
  const registries = defaultRegistries();
  const sources = new SourceFiles();
  const [b] = buildScenarios([s], { runId: "preflight", registries, sources });
  return { b: b!, needs: scenarioNeeds(b!, { registries, sources }) };
};

/** A cluster where the drill can run: zone-b nodes, checkout pods in shop, the IPPool. */
function readyCluster(): FakeKube {
  const kube = new FakeKube();
  kube.put(node("worker3", { labels: { "topology.kubernetes.io/zone": "zone-b" } }));
  kube.put(node("worker4", { labels: { "topology.kubernetes.io/zone": "zone-a" } }));
  kube.put({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "checkout-1", namespace: "shop", labels: { app: "checkout" } },
  });
  kube.put({ apiVersion: "crd.projectcalico.org/v1", kind: "IPPool", metadata: { name: "default-pool" } });
  return kube;
}

describe("preflight", () => {
  it("derives the access a scenario needs from its steps, watches and what every run does", () => {
    const { b, needs } = build(drill());
    const has = (verb: string, kind: string, namespace?: string) =>
      needs.access.some((a) => a.verb === verb && a.kind === kind && a.namespace === namespace);
    expect(has("create", "Namespace")).to.equal(true);
    expect(has("update", "Lease", "default")).to.equal(true);
    expect(has("patch", "Deployment", b.namespace)).to.equal(true);
    expect(has("delete", "Deployment", b.namespace)).to.equal(true, "apply's revert deletes what it created");
    expect(has("patch", "Node")).to.equal(true);
    expect(has("patch", "IPPool")).to.equal(true);
    expect(has("delete", "Pod", "shop")).to.equal(true);
    expect(has("watch", "Pod", b.namespace)).to.equal(true, "the steady-state probe's watch");
    expect(needs.selections.map((s) => [s.field, s.type.kind, s.namespace ?? "", s.name ?? s.selector])).to.deep.equal([
      ["spec.fault[0].cordon", "Node", "", "topology.kubernetes.io/zone=zone-b"],
      ["spec.fault[1].patch", "IPPool", "", "default-pool"],
      ["spec.fault[2].restartPods", "Pod", "shop", "app=checkout"],
    ]);
  });

  it("passes a scenario the cluster can run, reviewing every access read-only", async () => {
    const { b, needs } = build(drill({ requiresNodes: 2 }));
    const kube = readyCluster();
    const r = await preflightScenario(b, needs, kube, CONTEXT_OK);
    expect(r.checks.map((c) => [c.check, c.ok])).to.deep.equal([
      ["context", true],
      ["kinds", true],
      ["permissions", true],
      ["selectors", true],
      ["nodes", true],
    ]);
    expect(r.ok).to.equal(true);
    expect(kube.callsOf("canI")).to.have.length(needs.access.length);
    for (const m of ["create", "apply", "patch", "delete"]) expect(kube.callsOf(m), m).to.deep.equal([]);
  });

  it("fails each check with what is wrong: denied verbs, missing kinds, empty selections, too few nodes, the context", async () => {
    const { b, needs } = build(drill({ requiresNodes: 3 }));
    const kube = readyCluster();
    kube.remove({ apiVersion: "v1", kind: "Node", name: "worker3" });
    kube.denied.add("delete v1/Pod@shop");
    kube.denied.add("patch v1/Node@");
    kube.missingKinds.add("crd.projectcalico.org/v1/IPPool");
    const r = await preflightScenario(b, needs, kube, { ok: false, detail: "a real run would be refused: ..." });
    const by = Object.fromEntries(r.checks.map((c) => [c.check, c]));
    expect(r.ok).to.equal(false);
    expect(by.context!.ok).to.equal(false);
    expect(by.kinds!.details).to.deep.equal([
      "IPPool (crd.projectcalico.org/v1) is not served by the API server (install its CRD or API first)",
    ]);
    expect(by.permissions!.details).to.deep.equal([
      "cannot patch Node (v1) cluster-wide: no RBAC policy matched",
      "cannot delete Pod (v1) in namespace shop: no RBAC policy matched",
    ]);
    expect(by.selectors!.details).to.deep.equal([
      "spec.fault[0].cordon: nothing matches Node topology.kubernetes.io/zone=zone-b",
    ]);
    expect(by.nodes!.details).to.deep.equal(["requires 3 Ready node(s); the cluster has 1 (of 1)"]);
  });

  it("does not require a kind the scenario's setup installs", async () => {
    const { b, needs } = build(drill({ crdInSetup: true }));
    const kube = readyCluster();
    kube.missingKinds.add("crd.projectcalico.org/v1/IPPool");
    const r = await preflightScenario(b, needs, kube, CONTEXT_OK);
    expect(r.checks.find((c) => c.check === "kinds")).to.deep.include({ ok: true });
  });

  describe("kubedrill preflight / run --preflight", () => {
    const io = () => {
      const out: string[] = [];
      return {
        out,
        io: {
          out: (t: string) => out.push(t),
          log: memoryLogger(),
          signal: new AbortController().signal,
          env: {},
          cwd: "/work/proj",
        },
      };
    };
    function deps(kube: FakeKube, o: { local?: string } = {}): PreflightDeps & { created: unknown[] } {
      const d = doubles([drill()]);
      const created: unknown[] = [];
      return {
        created,
        check: d.deps.check,
        createKube: (path, opts) => (created.push({ path, ...opts }), kube),
        localKubeconfig: async () => o.local,
        resolveKubeconfig: async (r) => ({
          path: "/home/u/.kube/config",
          files: ["/home/u/.kube/config"],
          source: "--kubeconfig",
          context: r.context ?? "staging",
          server: "https://10.0.0.1:6443",
          contexts: ["staging"],
        }),
      };
    }
    const pargs = (o: Partial<PreflightArgs> = {}): PreflightArgs => ({ ...args(o), output: "text", ...o });

    it("a game day: the context guard's verdict is one check; exit 1 when refused, 0 when allowed", async () => {
      const refused = io();
      const code = await createPreflightCommand(deps(readyCluster())).run(
        pargs({ provider: "kubeconfig", context: "staging" }),
        refused.io,
      );
      expect(code).to.equal(1);
      expect(refused.out.join("\n")).to.match(/^target: context "staging" at https:\/\/10\.0\.0\.1:6443$/m);
      expect(refused.out.join("\n")).to.match(/^ {2}FAIL context: a real run would be refused: /m);
      const allowed = io();
      const d = deps(readyCluster());
      expect(
        await createPreflightCommand(d).run(
          pargs({ provider: "kubeconfig", context: "staging", allowContext: ["staging"], output: "json" }),
          allowed.io,
        ),
      ).to.equal(0);
      const json = JSON.parse(allowed.out.join("\n")) as {
        scenarios: { name: string; ok: boolean; checks: { check: string }[] }[];
      };
      expect(json.scenarios.map((s) => [s.name, s.ok])).to.deep.equal([["drill", true]]);
      expect(d.created).to.deep.equal([{ path: "/home/u/.kube/config", context: "staging" }]);
    });

    it("no cluster to check is exit 4: the local cluster not running, or an API server that does not answer", async () => {
      const none = await createPreflightCommand(deps(readyCluster()))
        .run(pargs(), io().io)
        .catch((e: unknown) => e);
      expect(none).to.be.instanceOf(ClusterError);
      expect((none as Error).message).to.match(/^no cluster: the local cluster "kubedrill" is not running/);
      expect(exitCodeFor(none)).to.equal(4);
      const silent = readyCluster();
      silent.failAlways("serverVersion", new Error("connect ECONNREFUSED 127.0.0.1:6443"));
      const down = await createPreflightCommand(deps(silent, { local: "/tmp/kc" }))
        .run(pargs(), io().io)
        .catch((e: unknown) => e);
      expect((down as Error).message).to.equal(
        'no cluster: local cluster "kubedrill" did not answer: connect ECONNREFUSED 127.0.0.1:6443',
      );
      expect(exitCodeFor(down)).to.equal(4);
    });

    it("run --preflight checks instead of running (a cluster it would create is refused), and --dry-run still touches nothing", async () => {
      const d = doubles([drill()]);
      const err = await createRunCommand(d.deps)
        .run(args({ preflight: true, provider: "kind" }), d.io())
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UsageError);
      expect((err as Error).message).to.match(/preflight checks an existing cluster/);
      expect(d.seen.started).to.deep.equal([]);
      const dry = doubles([drill()]);
      expect(await createRunCommand(dry.deps).run(args({ preflight: true, dryRun: true }), dry.io())).to.equal(0);
      expect(dry.seen.started).to.deep.equal([]);
      expect(dry.kube.calls).to.deep.equal([]);
    });
  });
});
