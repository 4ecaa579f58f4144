import { expect } from "chai";
import yargs from "yargs";
import { makeDiagnoseCommand, type DiagnoseArgs } from "../../src/cli/commands/diagnose.ts";
import type { CliIO } from "../../src/cli/command.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitCodeFor } from "../../src/cli/exit.ts";
import { ClusterError, UsageError } from "../../src/errors.ts";
import { ApiError } from "../../src/k8s/rest.ts";
import { deployment, node, pod, service } from "./fixtures/builders.ts";
import { diagnoseKube, listed } from "./fixtures/kube.ts";

function io(env: NodeJS.ProcessEnv = {}): CliIO & { output: string[] } {
  const output: string[] = [];
  return {
    output,
    out: (t) => output.push(t),
    log: memoryLogger(),
    signal: new AbortController().signal,
    env,
    cwd: "/tmp",
  };
}

function parse(argv: string[]): DiagnoseArgs {
  const cmd = makeDiagnoseCommand();
  return cmd
    .builder(
      yargs(argv)
        .exitProcess(false)
        .fail((msg, err) => {
          throw err ?? new Error(msg);
        }),
    )
    .parseSync() as unknown as DiagnoseArgs;
}

const healthy = (): KObject[] => [
  node("n1", { zone: "zone-a" }),
  deployment("api", "shop", 1),
  pod("api-1", "shop", { labels: { app: "api" }, node: "n1" }),
];
const broken = (): KObject[] => [
  node("n1", { zone: "zone-a" }),
  node("n2", { zone: "zone-b", ready: "Unknown" }),
  service("api", "shop", { app: "api" }),
];

describe("kubedrill diagnose", () => {
  it("parses its flags", () => {
    const a = parse(["--namespace", "shop", "-o", "json", "--kubeconfig", "/k", "--context", "kind-x"]);
    expect(a).to.include({ namespace: "shop", output: "json", kubeconfig: "/k", context: "kind-x" });
    expect(parse([])).to.include({ output: "text" });
    expect(parse(["-A"]).allNamespaces).to.equal(true);
    expect(() => parse(["-n", "shop", "-A"])).to.throw(/mutually exclusive|conflicts|namespace/i);
    expect(() => parse(["-o", "yaml"])).to.throw(/Invalid values|choices/i);
  });

  it("resolves the kubeconfig: flag (relative to the working folder), then $KUBECONFIG, then ~/.kube/config", async () => {
    const pathFor = async (kubeconfig: string | undefined, env: NodeJS.ProcessEnv) => {
      let seen: string | undefined;
      const cmd = makeDiagnoseCommand((path) => {
        seen = path;
        return diagnoseKube(healthy());
      });
      await cmd.run({ output: "text", ...(kubeconfig ? { kubeconfig } : {}) }, io(env));
      return seen;
    };
    expect(await pathFor("/flag", { KUBECONFIG: "/env" })).to.equal("/flag");
    expect(await pathFor("kc", { KUBECONFIG: "/env" })).to.equal("/tmp/kc");
    expect(await pathFor(undefined, { KUBECONFIG: "/env1:/env2", HOME: "/home/u" })).to.equal("/env1");
    expect(await pathFor(undefined, { HOME: "/home/u" })).to.equal("/home/u/.kube/config");
  });

  it("exit 0 and a clean message on a healthy cluster; passes kubeconfig and context to the factory", async () => {
    const seen: unknown[] = [];
    const cmd = makeDiagnoseCommand((path, opts) => {
      seen.push([path, opts]);
      return diagnoseKube(healthy());
    });
    const out = io({ KUBECONFIG: "/tmp/kc" });
    const status = await cmd.run(
      { output: "text", context: "kind-drill", serviceCidr: "10.96.0.0/12", podCidr: "10.244.0.0/16" },
      out,
    );
    expect(status).to.equal(0);
    expect(seen).to.deep.equal([["/tmp/kc", { context: "kind-drill" }]]);
    expect(out.output).to.deep.equal(["No findings: nothing the analysers know of is wrong."]);
  });

  it("exit 1 with findings, text grouped by severity with message, object, evidence and remedy", async () => {
    const out = io();
    const status = await makeDiagnoseCommand(() => diagnoseKube(broken())).run({ output: "text" }, out);
    expect(status).to.equal(1);
    const text = out.output.join("\n");
    expect(text).to.match(/^CRITICAL \(1\)\n {2}\[NodeNotReady\] Node n2\n {4}node n2 in zone zone-b is NotReady/);
    expect(text).to.contain("\nWARNING (1)\n  [ServiceNoEndpoints] Service shop/api\n");
    expect(text).to.contain(
      "    evidence:\n      - Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.",
    );
    expect(text).to.contain("    remedy: bring the node back");
    expect(text).to.match(/2 findings: 1 critical, 1 warning, 0 info$/);
  });

  it("JSON output carries the findings and counts; --namespace narrows the read", async () => {
    const kube = diagnoseKube(broken());
    const out = io();
    const status = await makeDiagnoseCommand(() => kube).run({ output: "json", namespace: "shop" }, out);
    expect(status).to.equal(1);
    const doc = JSON.parse(out.output.join("")) as {
      namespace: string;
      counts: Record<string, number>;
      findings: { code: string }[];
    };
    expect(doc.namespace).to.equal("shop");
    expect(doc.counts).to.deep.equal({ critical: 1, warning: 1, info: 0 });
    expect(doc.findings.map((f) => f.code)).to.deep.equal(["NodeNotReady", "ServiceNoEndpoints"]);
    expect(listed(kube).find((c) => c.kind === "Pod")?.namespace).to.equal("shop");
  });

  it("info-only findings exit 0", async () => {
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "later", namespace: "shop" },
      spec: { storageClassName: "local", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      status: { phase: "Pending" },
    };
    const sc = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "local" },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    const out = io();
    expect(await makeDiagnoseCommand(() => diagnoseKube([claim, sc])).run({ output: "text" }, out)).to.equal(0);
    expect(out.output.join("\n")).to.match(/^INFO \(1\)/);
  });

  it("rejects --namespace with --all-namespaces as a usage error", async () => {
    let caught: unknown;
    await makeDiagnoseCommand(() => diagnoseKube([]))
      .run({ output: "text", namespace: "x", allNamespaces: true }, io())
      .catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(UsageError);
  });

  it("--fail-on: only findings at or above the severity exit 1", async () => {
    const parsed = parse(["--fail-on", "critical"]);
    expect(parsed.failOn).to.equal("critical");
    expect(parse([]).failOn).to.equal("warning");
    expect(() => parse(["--fail-on", "severe"])).to.throw(/Invalid values|choices/i);
    // broken(): one critical (NodeNotReady), one warning (ServiceNoEndpoints)
    const warningOnly = [node("n1", { zone: "zone-a" }), service("api", "shop", { app: "api" })];
    const status = async (objects: KObject[], failOn?: "critical" | "warning" | "info") =>
      makeDiagnoseCommand(() => diagnoseKube(objects)).run({ output: "text", ...(failOn ? { failOn } : {}) }, io());
    expect(await status(warningOnly)).to.equal(1);
    expect(await status(warningOnly, "warning")).to.equal(1);
    expect(await status(warningOnly, "critical")).to.equal(0);
    expect(await status(broken(), "critical")).to.equal(1);
    expect(await status(healthy(), "info")).to.equal(0);
    await makeDiagnoseCommand(() => diagnoseKube([]))
      .run({ output: "text", failOn: "severe" as never }, io())
      .then(
        () => expect.fail("should be refused"),
        (e: Error) => expect(e.message).to.equal("--fail-on severe: expected one of critical, warning, info"),
      );
  });

  it("--fail-on info: an info finding alone exits 1", async () => {
    const pending = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "later", namespace: "shop" },
      spec: { storageClassName: "local", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      status: { phase: "Pending" },
    };
    const sc = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "local" },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    const run = (failOn: "warning" | "info") =>
      makeDiagnoseCommand(() => diagnoseKube([pending, sc])).run({ output: "text", failOn }, io());
    expect(await run("warning")).to.equal(0);
    expect(await run("info")).to.equal(1);
  });

  it("a cluster it cannot reach is exit 4 (not 1, which means findings); an API error is 3", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "kd-diagnose-"));
    try {
      const kubeconfig = join(scratch, "kubeconfig");
      writeFileSync(
        kubeconfig,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters: [{ name: nowhere, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]",
          "users: [{ name: drill, user: { token: not-a-real-token } }]",
          "contexts: [{ name: nowhere, context: { cluster: nowhere, user: drill } }]",
          "current-context: nowhere",
        ].join("\n"),
      );
      const out = io();
      const err = await makeDiagnoseCommand()
        .run({ output: "text", kubeconfig }, out)
        .then(
          () => expect.fail("should not reach the cluster"),
          (e: unknown) => e as Error,
        );
      expect(err).to.be.instanceOf(ClusterError);
      expect(exitCodeFor(err)).to.equal(4);
      expect(err.message).to.match(/^reading the cluster: .*cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
      expect(out.output).to.deep.equal([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const refused = await makeDiagnoseCommand(() =>
      diagnoseKube(healthy(), {
        Node: new ApiError("GET list Node: InternalError (500): etcd timeout", 500, "InternalError"),
      }),
    )
      .run({ output: "text" }, io())
      .then(
        () => expect.fail("should fail"),
        (e: unknown) => e,
      );
    expect(exitCodeFor(refused)).to.equal(3);
  });
});
