import { expect } from "chai";
import type { ClusterAccess } from "../../src/sdk/types.ts";
import { ANNOTATION_ORIGINAL, LABEL_RUN_ID } from "../../src/k8s/types.ts";
import { node, pod } from "../fakes/objects.ts";
import { until } from "../fakes/settle.ts";
import { NS, stepEnv } from "../engine/step-env.ts";
import { processResult } from "../fakes/process.ts";

/** Reverts are observable outside the run's namespace (objects inside it go with it). */
const OTHER = "shared";
const deployment = (replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: OTHER, labels: { app: "api" } },
  spec: {
    replicas,
    template: { spec: { containers: [{ name: "api", image: "api:1", resources: { requests: { cpu: "100m" } } }] } },
  },
});
const depRef = { apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: OTHER };
const n1 = { apiVersion: "v1", kind: "Node", name: "n1" };

describe("steps", () => {
  it("patch (json) records the touched fields and revert restores them", async () => {
    const e = stepEnv();
    e.kube.put(deployment(2));
    const h = await e
      .step("patch", {
        target: { kind: "Deployment", name: "api", namespace: OTHER },
        patchType: "json",
        patch: [{ op: "replace", path: "/spec/template/spec/containers/0/resources/requests/cpu", value: "8" }],
      })
      .inject(e.ctx);
    expect(e.kube.object(depRef)!.spec.template.spec.containers[0].resources.requests.cpu).to.equal("8");
    await h.revert();
    expect(e.kube.object(depRef)!.spec).to.deep.equal(deployment(2).spec);
    // the restore is a merge patch putting back the whole containers list (and removing the marks)
    const restore = e.kube.callsOf("patch").at(-1)!.args as [unknown, { spec: unknown }, string];
    expect([restore[1].spec, restore[2]]).to.deep.equal([
      { template: { spec: { containers: deployment(2).spec.template.spec.containers } } },
      "merge",
    ]);
  });

  it("patch with a selector patches every match, and fails when nothing matches", async () => {
    const e = stepEnv();
    e.kube.put(pod("a", OTHER, { app: "x" }, true));
    e.kube.put(pod("b", OTHER, { app: "x" }, true));
    const h = await e
      .step("patch", {
        target: { kind: "Pod", selector: "app=x", namespace: OTHER },
        patch: { metadata: { annotations: { chaos: "on" } } },
      })
      .inject(e.ctx);
    expect(e.kube.objects("Pod").map((p) => p.metadata.annotations?.chaos)).to.deep.equal(["on", "on"]);
    await h.revert();
    expect(e.kube.objects("Pod").map((p) => p.metadata.annotations?.chaos)).to.deep.equal([undefined, undefined]);
    const err = await e
      .step("patch", { target: { kind: "Pod", selector: "app=none" }, patch: {} })
      .inject(e.ctx)
      .catch((x: Error) => x);
    expect((err as Error).message).to.equal(`patch: nothing matches Pod app=none in ${NS}`);
  });

  it("scale sets replicas and revert restores them", async () => {
    const e = stepEnv();
    e.kube.put(deployment(3));
    const target = { kind: "Deployment", name: "api", namespace: OTHER };
    const h = await e.step("scale", { target, replicas: 0 }).inject(e.ctx);
    expect(e.kube.object(depRef)!.spec.replicas).to.equal(0);
    await h.revert();
    expect(e.kube.object(depRef)!.spec.replicas).to.equal(3);
  });

  it("taint records the node's taints on the node first; revert restores them and the marks", async () => {
    const e = stepEnv();
    e.kube.put(node("n1", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }));
    e.kube.put(node("n2", { labels: { zone: "b" } }));
    const h = await e
      .step("taint", { nodes: { names: ["n1"] }, key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" })
      .inject(e.ctx);
    const patches = e.kube.callsOf("patch").map((c) => c.args[1]);
    expect(patches[0]).to.deep.equal({
      metadata: {
        labels: { [LABEL_RUN_ID]: "run9", "kubedrill.io/scenario": NS },
        annotations: {
          [ANNOTATION_ORIGINAL]: JSON.stringify({
            spec: { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
            metadata: {
              labels: { [LABEL_RUN_ID]: null, "kubedrill.io/scenario": null },
              annotations: { [ANNOTATION_ORIGINAL]: null, "kubedrill.io/marked-at": null },
            },
          }),
          "kubedrill.io/marked-at": "2026-01-01T00:00:00.000Z",
        },
      },
    });
    expect(e.kube.object(n1)!.spec.taints).to.deep.equal([
      { key: "dedicated", value: "db", effect: "NoSchedule" },
      { key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" },
    ]);
    expect(e.touched.map((t) => t.kind)).to.deep.equal(["Node"]);
    await h.revert();
    const back = e.kube.object(n1)!;
    expect(back.spec.taints).to.deep.equal([{ key: "dedicated", value: "db", effect: "NoSchedule" }]);
    expect(back.metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1" });
    expect(back.metadata.annotations ?? {}).to.deep.equal({});
    expect(e.kube.object({ ...n1, name: "n2" })!.metadata.labels).to.not.have.property(LABEL_RUN_ID);
  });

  it("cordon then uncordon (as remediation) unwinds back to the original", async () => {
    const e = stepEnv();
    e.kube.put(node("n1", { labels: { zone: "a" } }));
    const fault = await e.step("cordon", { nodes: { selector: "zone=a" } }).inject(e.ctx);
    expect(e.kube.object(n1)!.spec.unschedulable).to.equal(true);
    const fix = await e.step("uncordon", { nodes: { names: ["n1"] } }).inject(e.ctx);
    expect(e.kube.object(n1)!.spec.unschedulable).to.equal(false);
    await fix.revert();
    await fault.revert();
    const back = e.kube.object(n1)!;
    expect(back.spec.unschedulable).to.equal(undefined);
    expect(back.metadata.annotations ?? {}).to.deep.equal({});
    expect(back.metadata.labels).to.deep.equal({ "kubernetes.io/hostname": "n1", zone: "a" });
  });

  it("untaint removes the key; with no such taint it changes nothing", async () => {
    const e = stepEnv();
    e.kube.put(node("n1", { taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }] }));
    const h = await e
      .step("untaint", { nodes: { names: ["n1"] }, key: "node.kubernetes.io/disk-pressure" })
      .inject(e.ctx);
    expect(e.kube.object(n1)!.spec.taints).to.equal(undefined);
    await h.revert();
    expect(e.kube.object(n1)!.spec.taints).to.have.length(1);
    const calls = e.kube.callsOf("patch").length;
    await e.step("untaint", { nodes: { names: ["n1"] }, key: "other" }).inject(e.ctx);
    expect(e.kube.callsOf("patch").length).to.equal(calls);
  });

  it("delete of a cluster-scoped object is undone by recreating it", async () => {
    const e = stepEnv();
    e.kube.put({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" }, provisioner: "x" });
    const h = await e.step("delete", { target: { kind: "StorageClass", name: "fast" } }).inject(e.ctx);
    expect(e.kube.objects("StorageClass")).to.deep.equal([]);
    await h.revert();
    const created = e.kube.callsOf("create")[0]!.args[0] as Record<string, unknown> & {
      metadata: Record<string, unknown>;
    };
    expect(created.metadata).to.deep.equal({ name: "fast" });
    expect(e.kube.objects("StorageClass")).to.have.length(1);
    expect(e.notRestored).to.have.length(1);
    expect(e.notRestored[0]).to.match(/^StorageClass\/fast was deleted and recreated from a copy: it has a new uid/);
  });

  it("delete in the run's namespace is not undone (the namespace goes)", async () => {
    const e = stepEnv();
    e.kube.put(pod("p", NS, { app: "x" }, true));
    const h = await e.step("delete", { target: { kind: "Pod", name: "p" } }).inject(e.ctx);
    await h.revert();
    expect(e.kube.callsOf("create")).to.deep.equal([]);
    expect(e.notRestored, "the run's namespace goes anyway").to.deep.equal([]);
  });

  it("a deleted Namespace comes back empty, and the revert says so", async () => {
    const e = stepEnv();
    e.kube.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "extra" } });
    const h = await e.step("delete", { target: { kind: "Namespace", name: "extra" } }).inject(e.ctx);
    await h.revert();
    expect(e.kube.objects("Namespace").map((n) => n.metadata.name)).to.include("extra");
    expect(e.notRestored[0]).to.match(
      /^Namespace\/extra was deleted .*the objects it held are gone for good \(it came back empty\)$/,
    );
  });

  it("restartPods deletes the matching pods", async () => {
    const e = stepEnv();
    e.kube.put(pod("a", NS, { app: "x" }, true));
    e.kube.put(pod("b", NS, { app: "y" }, true));
    await e.step("restartPods", { selector: "app=x" }).inject(e.ctx);
    expect(e.kube.objects("Pod").map((p) => p.metadata.name)).to.deep.equal(["b"]);
  });

  it("command passes argv, cwd and env; a wrong exit status fails with the output's tail", async () => {
    const seen: unknown[] = [];
    const e = stepEnv({
      exec: async (argv, o) => {
        seen.push([argv, o?.cwd, o?.env, o?.timeoutMs]);
        const output = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
        return processResult({ exitCode: argv[1] === "bad" ? 3 : 0, output });
      },
    });
    await e.step("command", { run: ["tool", "ok"], env: { A: "1" }, timeout: "10s" }).inject(e.ctx);
    expect(seen[0]).to.deep.equal([["tool", "ok"], "/scenarios", { KUBEDRILL_NAMESPACE: NS, A: "1" }, 10_000]);
    const err = (await e
      .step("command", { run: ["tool", "bad"] })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.match(
      /^command tool bad exited with 3 \(expected 0\)\n\.\.\.\(10 earlier lines\)\nline 11\n[\s\S]*line 30$/,
    );
  });

  it("command timeout is reported with the limit", async () => {
    const e = stepEnv({ exec: async () => processResult({ exitCode: undefined, timedOut: true }) });
    const err = (await e
      .step("command", { run: ["sleep", "99"], timeout: "2s" })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.name).to.equal("TimeoutError");
    expect(err.message).to.match(/^command sleep 99 timed out after 0ms \(limit 2000ms\)$/);
  });

  it("provider actions: stopNodes and fillDisk delegate and revert; a failure undoes the done part", async () => {
    const log: string[] = [];
    const cluster: ClusterAccess = {
      capabilities: {},
      network: {},
      actions: {
        stopNodes: async (names) => {
          log.push(`stop ${names.join(",")}`);
          return { revert: async () => void log.push("start again"), [Symbol.asyncDispose]: async () => undefined };
        },
        fillDisk: async (name) => {
          if (name === "n3") throw new Error("no room for the filler pod");
          log.push(`fill ${name}`);
          return {
            simulated: true,
            revert: async () => void log.push(`free ${name}`),
            [Symbol.asyncDispose]: async () => undefined,
          };
        },
        collectImageGarbage: async (name) => void log.push(`gc ${name}`),
      },
    };
    const e = stepEnv({ cluster });
    for (const n of ["n1", "n2", "n3"]) e.kube.put(node(n, { labels: { pool: n === "n3" ? "b" : "a" } }));
    const stop = await e.step("stopNodes", { nodes: { selector: "pool=a", count: 1 } }).inject(e.ctx);
    await stop.revert();
    const fill = await e.step("fillDisk", { nodes: { names: ["n1", "n2"] } }).inject(e.ctx);
    expect(fill.simulated).to.equal(true);
    await fill.revert();
    const err = (await e
      .step("fillDisk", { nodes: { names: ["n1", "n3"] } })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("fillDisk n3: no room for the filler pod");
    await e.step("collectImageGarbage", { nodes: { names: ["n2"] } }).inject(e.ctx);
    expect(log).to.deep.equal([
      "stop n1",
      "start again",
      "fill n1",
      "fill n2",
      "free n2",
      "free n1",
      "fill n1",
      "free n1",
      "gc n2",
    ]);
  });

  it("stopNodes { hosting }: the nodes that run the scenario's matching pods, looked up when the step runs", async () => {
    const stopped: string[][] = [];
    const cluster: ClusterAccess = {
      capabilities: {},
      network: {},
      actions: {
        stopNodes: async (names) => {
          stopped.push(names);
          return { revert: async () => undefined, [Symbol.asyncDispose]: async () => undefined };
        },
        fillDisk: async () => {
          throw new Error("not used");
        },
        collectImageGarbage: async () => undefined,
      },
    };
    const e = stepEnv({ cluster });
    for (const n of ["n1", "n2", "n3"]) e.kube.put(node(n));
    const placed = (name: string, ns: string, labels: Record<string, string>, on: string) => {
      const p = pod(name, ns, labels, true);
      p.spec!.nodeName = on;
      return p;
    };
    e.kube.put(placed("ledger-0", NS, { app: "ledger" }, "n3"));
    e.kube.put(placed("web-1", NS, { app: "web" }, "n1"));
    e.kube.put(placed("ledger-0", OTHER, { app: "ledger" }, "n2")); // another namespace: not the scenario's
    await e.step("stopNodes", { nodes: { hosting: "app=ledger" } }).inject(e.ctx);
    expect(stopped).to.deep.equal([["n3"]]);
    const err = (await e
      .step("stopNodes", { nodes: { hosting: "app=missing" } })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("no node matches node(s) running pods app=missing (the cluster has 3 node(s))");
  });

  it("blockRegistry delegates and reverts; unblockRegistry takes the rule out; a provider without them says so", async () => {
    const log: string[] = [];
    const actions: ClusterAccess["actions"] = {
      stopNodes: async () => expect.fail("not used"),
      fillDisk: async () => expect.fail("not used"),
      collectImageGarbage: async () => undefined,
    };
    const e = stepEnv({
      cluster: {
        capabilities: {},
        network: {},
        actions: {
          ...actions,
          blockRegistry: async (names) => {
            log.push(`block ${names.join(",")}`);
            return {
              revert: async () => void log.push("unblock by revert"),
              [Symbol.asyncDispose]: async () => undefined,
            };
          },
          unblockRegistry: async (names) => void log.push(`unblock ${names.join(",")}`),
        },
      },
    });
    for (const n of ["n1", "n2"]) e.kube.put(node(n, { labels: { "kubernetes.io/os": "linux" } }));
    const blocked = await e.step("blockRegistry", { nodes: { selector: "kubernetes.io/os=linux" } }).inject(e.ctx);
    await e.step("unblockRegistry", { nodes: { names: ["n2"] } }).inject(e.ctx);
    await blocked.revert();
    expect(log).to.deep.equal(["block n1,n2", "unblock n2", "unblock by revert"]);
    const bare = stepEnv({ cluster: { capabilities: {}, network: {}, actions } });
    bare.kube.put(node("n1"));
    const err = (await bare
      .step("blockRegistry", { nodes: { names: ["n1"] } })
      .inject(bare.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.equal("blockRegistry: this cluster's provider cannot put a firewall rule on its nodes");
  });

  it("pullSecret writes a dockerconfigjson Secret for the cluster's registry, replacing the one there; never logs it", async () => {
    const registry = { host: "registry.test", image: "registry.test/app:v1", user: "drill", password: "pw-1" };
    const e = stepEnv({
      cluster: {
        capabilities: { authRegistry: true, registry },
        network: {},
        actions: {
          stopNodes: async () => expect.fail("not used"),
          fillDisk: async () => expect.fail("not used"),
          collectImageGarbage: async () => undefined,
        },
      },
    });
    const ref = { apiVersion: "v1", kind: "Secret", name: "creds", namespace: NS };
    const config = async () => {
      const s = await e.kube.get(ref);
      expect(s!.type).to.equal("kubernetes.io/dockerconfigjson");
      expect(s!.metadata.labels?.[LABEL_RUN_ID]).to.equal("run9");
      const data = s!.data as Record<string, string>;
      const text = Buffer.from(data[".dockerconfigjson"]!, "base64").toString();
      return (JSON.parse(text) as { auths: Record<string, { username: string; password: string; auth: string }> })
        .auths["registry.test"]!;
    };
    await e.step("pullSecret", { name: "creds" }).inject(e.ctx);
    expect(await config()).to.deep.equal({ username: "drill", password: "pw-1", auth: btoa("drill:pw-1") });
    await e.step("pullSecret", { name: "creds", credentials: "wrong" }).inject(e.ctx);
    const wrong = await config();
    expect(wrong.username).to.equal("drill");
    expect(wrong.password).to.not.equal("pw-1");
    expect(Buffer.from(wrong.auth, "base64").toString()).to.equal(`drill:${wrong.password}`);
    const logged = JSON.stringify(e.log.lines);
    expect(logged).to.include("wrote image pull Secret").and.not.include("pw-1").and.not.include(wrong.password);
    expect(() => e.step("pullSecret", { name: "creds", credentials: "old" })).to.throw(/must be one of valid, wrong/);
    const none = stepEnv();
    const err = (await none
      .step("pullSecret", { name: "creds" })
      .inject(none.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.match(/^pullSecret needs a cluster with a registry that requires credentials/);
  });

  it("provider actions without a provider fail with a clear message", async () => {
    const e = stepEnv();
    e.kube.put(node("n1"));
    const err = (await e
      .step("stopNodes", { nodes: { names: ["n1"] } })
      .inject(e.ctx)
      .catch((x: Error) => x)) as Error;
    expect(err.message).to.match(/^stopNodes needs a cluster provider's node actions/);
  });

  it("wait holds until its probes pass on watch events, or times out naming what fails", async () => {
    const e = stepEnv();
    e.kube.put(pod("a", NS, { app: "x" }, false));
    const waiting = e
      .step("wait", {
        for: [
          {
            type: "podsReady",
            params: { selector: "app=x" },
            loc: { file: "s.yaml", line: 3, column: 7, field: "spec.setup.steps[0].wait.for[0].podsReady" },
          },
        ],
        timeout: "30s",
      })
      .inject(e.ctx);
    await e.clock.advance(1000);
    e.kube.put(pod("a", NS, { app: "x" }, true));
    await waiting;
    const failing = e
      .step("wait", { for: [{ podsReady: { selector: "app=none" } }], timeout: "5s" })
      .inject(e.ctx)
      .catch((x: Error) => x);
    await until(() => e.clock.pendingSleeps > 0, "the wait is parked");
    await e.clock.advance(5000);
    const err = (await failing) as Error;
    expect(err.message).to.equal(`wait: not satisfied after 5000ms (limit 5000ms): 0/1 pods app=none Ready in ${NS}`);
  });
});
