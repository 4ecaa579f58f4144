import { expect } from "chai";
import { SafetyError } from "../../src/errors.ts";
import { assertContextAllowed, parseAllowance } from "../../src/providers/context-guard.ts";
import { assertNamespacedOnly, isClusterScopedStep } from "../../src/providers/guard.ts";
import type { StepSpec } from "../../src/scenario/types.ts";

const plan = ["apply Deployment kd-1/api", "stopNodes kd-worker3, kd-worker4 (zone-b)", "fillDisk kd-worker5"];

describe("context guard", () => {
  it("refuses a context that is not allowed, saying how to allow it and what would have been done", () => {
    let error: unknown;
    try {
      assertContextAllowed({
        context: "prod-eu",
        allow: ["kind-ci"],
        env: { KUBEDRILL_ALLOW_CONTEXTS: "staging" },
        dryRun: false,
        plan,
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(SafetyError);
    const message = (error as Error).message;
    expect(message.split("\n")).to.deep.equal([
      'refusing to run destructive steps against Kubernetes context "prod-eu": it is not in the allowed contexts ("kind-ci", "staging")',
      "The run would have done (3 steps):",
      "  - apply Deployment kd-1/api",
      "  - stopNodes kd-worker3, kd-worker4 (zone-b)",
      "  - fillDisk kd-worker5",
      "To allow it, pass --allow-context prod-eu (repeatable), or set KUBEDRILL_ALLOW_CONTEXTS=prod-eu (comma-separated list).",
      "To see the plan without changing anything, add --dry-run.",
    ]);
  });

  it("says when no context was allowed at all, and quotes names a shell would split", () => {
    expect(() => assertContextAllowed({ context: "my ctx", allow: [], env: {}, dryRun: false, plan: [] })).to.throw(
      SafetyError,
      /allowed contexts \(none given\)[\s\S]*--allow-context 'my ctx'/,
    );
  });

  it("allows a context named by --allow-context (repeatable)", () => {
    expect(
      assertContextAllowed({ context: "kind-kd", allow: ["other", "kind-kd"], env: {}, dryRun: false, plan }),
    ).to.deep.equal({ allowed: true, via: "flag", allowance: "kind-kd", boundToServer: false });
  });

  it("allows a context listed in KUBEDRILL_ALLOW_CONTEXTS (comma-separated, spaces ignored)", () => {
    const env = { KUBEDRILL_ALLOW_CONTEXTS: " staging , kind-kd,," };
    expect(assertContextAllowed({ context: "kind-kd", allow: [], env, dryRun: false, plan })).to.deep.equal({
      allowed: true,
      via: "env",
      allowance: "kind-kd",
      boundToServer: false,
    });
  });

  it("matches exact names only", () => {
    expect(() =>
      assertContextAllowed({
        context: "kind-kd-prod",
        allow: ["kind-kd"],
        env: { KUBEDRILL_ALLOW_CONTEXTS: "kind-*" },
        dryRun: false,
        plan,
      }),
    ).to.throw(SafetyError);
  });

  it("binds NAME@SERVER to the server (normalised), from the flag or the environment", () => {
    const input = { context: "default", server: "https://10.0.0.1:6443", env: {}, dryRun: false, plan: [] };
    expect(assertContextAllowed({ ...input, allow: ["default@https://10.0.0.1:6443/"] })).to.deep.include({
      via: "flag",
      boundToServer: true,
    });
    const env = { KUBEDRILL_ALLOW_CONTEXTS: "default@https://10.0.0.1:6443" };
    expect(assertContextAllowed({ ...input, allow: [], env })).to.deep.include({ via: "env", boundToServer: true });
    expect(() => assertContextAllowed({ ...input, allow: ["default@https://10.9.9.9:6443"] })).to.throw(
      SafetyError,
      /context "default" \(server https:\/\/10\.0\.0\.1:6443\)[\s\S]*"default@https:\/\/10\.9\.9\.9:6443" is bound to server https:\/\/10\.9\.9\.9:6443/,
    );
    expect(() =>
      assertContextAllowed({ ...input, server: undefined, allow: ["default@https://10.0.0.1:6443"] }),
    ).to.throw(SafetyError, /points at no server/);
  });

  it("reads a name with @ but no URL after it (kubeadm's admin@kubernetes) as a plain name", () => {
    expect(parseAllowance("kubernetes-admin@kubernetes", "flag")).to.deep.equal({
      raw: "kubernetes-admin@kubernetes",
      context: "kubernetes-admin@kubernetes",
      via: "flag",
    });
    expect(parseAllowance("kubernetes-admin@kubernetes@https://k:6443", "env")).to.deep.include({
      context: "kubernetes-admin@kubernetes",
      server: "https://k:6443",
    });
  });

  it("never refuses a dry run", () => {
    expect(assertContextAllowed({ context: "prod-eu", allow: [], env: {}, dryRun: true, plan })).to.deep.equal({
      allowed: true,
      via: "dry-run",
    });
  });
});

describe("namespaced-only runs", () => {
  const step = (type: string, params: Record<string, unknown>, line: number): StepSpec => ({
    type,
    params,
    loc: { file: "scenarios/x.yaml", line, column: 7, field: `spec.fault[${line}]` },
  });

  it("classifies node actions, taints and cordons as cluster-scoped", () => {
    for (const t of ["stopNodes", "fillDisk", "taint", "untaint", "cordon", "uncordon", "collectImageGarbage"])
      expect(isClusterScopedStep(t), t).to.equal(true);
    for (const t of ["restartPods", "wait", "command"]) expect(isClusterScopedStep(t), t).to.equal(false);
  });

  it("classifies apply/patch/delete by the kinds they touch (unknown kinds count as cluster-scoped)", () => {
    expect(isClusterScopedStep("apply", [{ kind: "Deployment" }, { kind: "Service", apiVersion: "v1" }])).to.equal(
      false,
    );
    expect(isClusterScopedStep("apply", [{ kind: "Deployment" }, { kind: "StorageClass" }])).to.equal(true);
    expect(isClusterScopedStep("apply", [{ kind: "IPPool", apiVersion: "crd.projectcalico.org/v1" }])).to.equal(true);
    expect(isClusterScopedStep("patch", [{ kind: "Node" }])).to.equal(true);
    expect(isClusterScopedStep("delete", [{ kind: "Widget", apiVersion: "example.com/v1" }])).to.equal(true);
  });

  it("refuses cluster-scoped steps at file:line:col and lets namespaced ones through", () => {
    const steps = [
      step("apply", { objects: [{ apiVersion: "apps/v1", kind: "Deployment" }] }, 10),
      step("taint", { nodes: { names: ["n1"] }, key: "k", effect: "NoSchedule" }, 14),
      step("apply", { path: "calico-pool.yaml" }, 20),
      step("scale", { target: { kind: "Deployment", name: "api" }, replicas: 0 }, 25),
    ];
    expect(() => assertNamespacedOnly([steps[0]!, steps[3]!])).not.to.throw();
    let error: Error | undefined;
    try {
      assertNamespacedOnly(steps);
    } catch (err) {
      error = err as Error;
    }
    expect(error).to.be.instanceOf(SafetyError);
    expect(error!.message).to.include("2 cluster-scoped steps are refused");
    expect(error!.message).to.include('scenarios/x.yaml:14:7: spec.fault[14] step "taint" acts outside');
    expect(error!.message).to.include("scenarios/x.yaml:20:7:");
    expect(() => assertNamespacedOnly([steps[2]!], () => [{ kind: "ConfigMap" }])).not.to.throw();
  });
});
