import { expect } from "chai";
import { CONNECT, realDataPlane, serviceOf } from "../../src/dataplane/real.ts";
import type { ProcessRunner } from "../../src/util/process.ts";
import type { ClusterSnapshot } from "../../src/diagnose/types.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { processResult } from "../fakes/process.ts";

const NS = "kd-x";
const pod = (name: string, labels: Record<string, string>) =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS, labels },
    status: { phase: "Running" },
  }) as KObject;
const svc = (name: string, selector: Record<string, string>) =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: NS }, spec: { selector } }) as KObject;
const snap = {
  pods: [
    pod("orders-1", { app: "orders" }),
    pod("api-7f-abc", { app: "api" }),
    pod("api-test-5d-xyz", { app: "api-test" }),
  ],
  services: [svc("api", { app: "api" }), svc("api-test", { app: "api-test" })],
} as unknown as ClusterSnapshot;
const ctx = { namespace: NS, snapshot: () => snap };

function runner(exitCode: number, stderr = ""): ProcessRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = (async (argv: readonly string[]) => {
    calls.push([...argv]);
    return processResult({ command: argv.join(" "), exitCode, stderr });
  }) as ProcessRunner & { calls: string[][] };
  run.calls = calls;
  return run;
}

describe("real data plane (kind): connectivity and routing probes", () => {
  it("connects from inside a client pod with nc, through kubectl exec", async () => {
    const run = runner(0);
    const dp = realDataPlane({ kubeconfig: "/k", context: "kind-x", run });
    const r = await dp.connectivity(
      { from: "app=orders", to: { service: "database", port: 5432 }, namespace: NS },
      ctx,
    );
    expect(r).to.include({ ok: true, simulated: false });
    expect(run.calls[0]).to.deep.equal([
      "kubectl",
      "--kubeconfig",
      "/k",
      "--context",
      "kind-x",
      "exec",
      "-n",
      NS,
      "orders-1",
      "--",
      "sh",
      "-c",
      CONNECT,
      `database.${NS}.svc.cluster.local`,
      "5432",
    ]);
  });

  it("reports the failed connection with nc's words", async () => {
    const dp = realDataPlane({ kubeconfig: "/k", run: runner(1, "nc: bad address") });
    const r = await dp.connectivity(
      { from: "app=orders", to: { service: "database", port: 5432 }, namespace: NS },
      ctx,
    );
    expect(r.ok).to.equal(false);
    expect(r.message).to.include("exit 1: nc: bad address");
  });

  it("routes: every request must reach the expected Service; a split is a failure", async () => {
    let i = 0;
    const answers = ["api-7f-abc", "api-test-5d-xyz"];
    const fetch = async (_url: string, init: { headers: Record<string, string> }) => {
      expect(init.headers.Host).to.equal("shop.example");
      return { status: 200, text: async () => JSON.stringify({ hostname: answers[i++ % 2] }) };
    };
    const split = realDataPlane({
      kubeconfig: "/k",
      run: runner(0),
      ingressURL: "http://127.0.0.1:80",
      fetch,
      routeRequests: 4,
    });
    const r = await split.route(
      { host: "shop.example", path: "/api/orders", expectService: "api", namespace: NS },
      ctx,
    );
    expect(r.ok).to.equal(false);
    expect(r.message).to.include(`2/4 -> ${NS}/api, 2/4 -> ${NS}/api-test`);
    expect(r.message).to.include(`50% did not reach ${NS}/api`);
    const only = realDataPlane({
      kubeconfig: "/k",
      run: runner(0),
      ingressURL: "http://127.0.0.1:80",
      fetch: async () => ({ status: 200, text: async () => '{"hostname":"api-7f-abc"}' }),
      routeRequests: 3,
    });
    expect(
      (await only.route({ host: "shop.example", path: "/api", expectService: "api", namespace: NS }, ctx)).ok,
    ).to.equal(true);
  });

  it("identifies the answering Service from the pod's hostname", () => {
    expect(serviceOf('{"hostname":"api-test-5d-xyz"}', snap)).to.equal(`${NS}/api-test`);
    expect(serviceOf("hostname: api-7f-abc", snap)).to.equal(`${NS}/api`);
    expect(serviceOf("<html>", snap)).to.equal("an unidentified backend");
  });
});
