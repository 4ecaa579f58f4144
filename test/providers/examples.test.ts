import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isMap, isSeq, parse, parseAllDocuments, type YAMLMap } from "yaml";

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** The inputs each action documents in its action.yml (pinned major versions). */
const ACTION_INPUTS: Record<string, string[]> = {
  "actions/checkout@v4": [
    "repository",
    "ref",
    "token",
    "ssh-key",
    "persist-credentials",
    "path",
    "clean",
    "fetch-depth",
    "lfs",
    "submodules",
  ],
  "actions/setup-node@v4": [
    "node-version",
    "node-version-file",
    "architecture",
    "check-latest",
    "registry-url",
    "scope",
    "token",
    "cache",
    "cache-dependency-path",
  ],
  "helm/kind-action@v1.14.0": [
    "version",
    "config",
    "kubeconfig",
    "node_image",
    "cluster_name",
    "wait",
    "verbosity",
    "kubectl_version",
    "registry",
    "registry_image",
    "registry_name",
    "registry_port",
    "registry_enable_delete",
    "install_only",
    "ignore_failed_clean",
    "cloud_provider",
  ],
  "actions/upload-artifact@v4": [
    "name",
    "path",
    "if-no-files-found",
    "retention-days",
    "compression-level",
    "overwrite",
    "include-hidden-files",
  ],
};

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string };

describe("examples/github-actions/kubedrill.yml", () => {
  let wf: { on: unknown; jobs: Record<string, { "runs-on": string; steps: Step[] }> };
  let steps: Step[];
  before(async () => {
    wf = parse(await readFile(repo("examples/github-actions/kubedrill.yml"), "utf8"));
    steps = wf.jobs.gameday!.steps;
  });

  it("is a workflow with triggers and one job on ubuntu", () => {
    expect(wf.on).to.be.an("object");
    expect(wf.jobs.gameday!["runs-on"]).to.equal("ubuntu-latest");
  });

  it("uses only known actions, each with only inputs it really has", () => {
    const used = steps.filter((s) => s.uses);
    expect(used.map((s) => s.uses)).to.deep.equal(Object.keys(ACTION_INPUTS));
    for (const s of used) {
      const allowed = ACTION_INPUTS[s.uses!]!;
      for (const key of Object.keys(s.with ?? {})) expect(allowed, `${s.uses} input ${key}`).to.include(key);
    }
  });

  it("sets up Node 20 and creates the kind cluster from kind-config.yaml", () => {
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node"))!.with!["node-version"]).to.equal(20);
    const kind = steps.find((s) => s.uses?.startsWith("helm/kind-action"))!.with!;
    expect(kind).to.deep.include({ cluster_name: "kubedrill", config: "kind-config.yaml", version: "v0.31.0" });
  });

  it("runs kubedrill against exactly the kind context, then always publishes the summary and the reports", () => {
    const runIndex = steps.findIndex((s) => s.run?.includes("kubedrill run"));
    // started directly, not through npx, so that a cancelled job's SIGTERM reaches kubedrill
    expect(steps[runIndex]!.run).to.equal(
      "./node_modules/.bin/kubedrill run scenarios/ --provider kubeconfig --allow-context kind-kubedrill --report-dir reports/ci",
    );
    const summary = steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"))!;
    expect(summary.if).to.equal("always()");
    expect(summary.run).to.include('cat reports/ci/summary.md >> "$GITHUB_STEP_SUMMARY"');
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.if).to.equal("always()");
    expect(String(upload.with!.path).trim().split("\n")).to.deep.equal([
      "reports/ci/junit.xml",
      "reports/ci/report.html",
    ]);
    expect(steps.indexOf(summary)).to.be.greaterThan(runIndex);
  });
});

describe("deploy/rbac", () => {
  it("parses, and every ClusterRole/Role rule is preceded by a comment saying what it is for", async () => {
    const docs = parseAllDocuments(await readFile(repo("deploy/rbac/kubedrill-gameday.yaml"), "utf8"));
    const kinds = docs.map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).to.deep.equal([
      "Namespace",
      "ServiceAccount",
      "ClusterRole",
      "ClusterRoleBinding",
      "Role",
      "RoleBinding",
    ]);
    for (const doc of docs.filter((d) => ["ClusterRole", "Role"].includes((d.toJS() as { kind: string }).kind))) {
      const rules = doc.get("rules");
      expect(isSeq(rules)).to.equal(true);
      for (const [i, rule] of (rules as { items: YAMLMap[] }).items.entries()) {
        expect(isMap(rule)).to.equal(true);
        expect(
          rule.commentBefore ?? (i === 0 ? (rules as { commentBefore?: string }).commentBefore : undefined),
          `rule ${i} of ${doc.getIn(["metadata", "name"])}`,
        )
          .to.be.a("string")
          .and.not.equal("");
        const verbs = rule.toJSON().verbs as string[];
        expect(verbs).not.to.include("*");
        expect(verbs).not.to.include("escalate");
      }
    }
  });

  it("never lets kubedrill read Secrets, and binds the ServiceAccount it creates", async () => {
    const docs = parseAllDocuments(await readFile(repo("deploy/rbac/kubedrill-gameday.yaml"), "utf8")).map((d) =>
      d.toJS(),
    );
    const role = docs.find((d) => d.kind === "ClusterRole");
    const secretRules = role.rules.filter((r: { resources: string[] }) => r.resources.includes("secrets"));
    for (const r of secretRules) expect(r.verbs).to.have.members(["create", "patch", "delete"]);
    const binding = docs.find((d) => d.kind === "ClusterRoleBinding");
    expect(binding.subjects).to.deep.equal([
      { kind: "ServiceAccount", name: "kubedrill", namespace: "kubedrill-system" },
    ]);
  });

  it("documents every ClusterRole resource in the README table", async () => {
    const readme = await readFile(repo("deploy/rbac/README.md"), "utf8");
    const role = parseAllDocuments(await readFile(repo("deploy/rbac/kubedrill-gameday.yaml"), "utf8"))
      .map((d) => d.toJS())
      .find((d) => d.kind === "ClusterRole");
    for (const rule of role.rules as { resources: string[] }[])
      for (const r of rule.resources) expect(readme, r).to.include(r);
  });

  it("ships an admission policy that limits the ServiceAccount to kd-* namespaces", async () => {
    const [policy, binding] = parseAllDocuments(
      await readFile(repo("deploy/rbac/kubedrill-namespace-policy.yaml"), "utf8"),
    ).map((d) => d.toJS());
    expect(policy.kind).to.equal("ValidatingAdmissionPolicy");
    expect(policy.spec.matchConditions[0].expression).to.include("system:serviceaccount:kubedrill-system:kubedrill");
    expect(policy.spec.validations[0].expression).to.include("startsWith('kd-')");
    expect(binding).to.deep.include({ kind: "ValidatingAdmissionPolicyBinding" });
    expect(binding.spec).to.deep.equal({ policyName: policy.metadata.name, validationActions: ["Deny"] });
  });
});
