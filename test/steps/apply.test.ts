import { expect } from "chai";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { ValidationError } from "../../src/errors.ts";
import { ANNOTATION_ORIGINAL, LABEL_RUN_ID } from "../../src/k8s/types.ts";
import { stepEnv, NS } from "../engine/step-env.ts";

const FIXTURES = `${dirname(fileURLToPath(import.meta.url))}/fixtures`;
/** Reverts are observable outside the run's namespace (objects inside it go with it). */
const OTHER = "shared";
const cmRef = { apiVersion: "v1", kind: "ConfigMap", name: "app", namespace: OTHER };

describe("apply step", () => {
  it("reads multi-document YAML relative to the scenario, substitutes ${namespace}/${runId}, labels everything", async () => {
    const e = stepEnv({ dir: FIXTURES });
    const step = e.step("apply", { path: "app.yaml" });
    expect(step.describe()).to.equal(
      "apply 2 object(s) from app.yaml: ConfigMap/settings-run9, PriorityClass/kd-critical-run9",
    );
    const h = await step.inject(e.ctx);
    const cm = e.kube.object({ apiVersion: "v1", kind: "ConfigMap", name: "settings-run9", namespace: NS })!;
    expect(cm.data).to.deep.equal({ namespace: NS });
    const pc = e.kube.object({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "kd-critical-run9" })!;
    expect(pc.metadata.namespace).to.equal(undefined);
    expect(pc.metadata.labels).to.deep.equal({
      [LABEL_RUN_ID]: "run9",
      "kubedrill.io/scenario": NS,
      "app.kubernetes.io/managed-by": "kubedrill",
    });
    expect(e.touched.map((t) => t.kind)).to.deep.equal(["PriorityClass"]);
    await h.revert();
    await h.revert(); // idempotent
    // the ConfigMap goes with the run's namespace; only the cluster-scoped object is deleted
    expect(e.kube.objects("ConfigMap").map((o) => o.metadata.name)).to.deep.equal(["settings-run9"]);
    expect(e.kube.objects("PriorityClass")).to.deep.equal([]);
    expect(e.kube.callsOf("delete")).to.have.length(1);
  });

  it("reports a bad manifest document at its file:line:col before any cluster work", () => {
    const e = stepEnv({ dir: FIXTURES });
    try {
      e.step("apply", { path: "broken.yaml" });
      expect.fail("should throw");
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message).to.equal(
        "broken.yaml:8:11: metadata.name is required (server-side apply needs a name) (document 2, applied by s.yaml:1:1)",
      );
    }
    expect(e.kube.calls).to.deep.equal([]);
  });

  it("revert restores an object that existed before, instead of deleting it", async () => {
    const e = stepEnv();
    e.kube.put({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "app", namespace: OTHER, labels: { team: "a" } },
      data: { mode: "safe", extra: "1" },
    });
    const before = e.kube.object(cmRef)!;
    const h = await e
      .step("apply", {
        objects: [
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "app", namespace: OTHER, labels: { team: "b" } },
            data: { mode: "chaos", added: "x" },
          },
        ],
      })
      .inject(e.ctx);
    expect(e.kube.object(cmRef)!.data).to.deep.equal({ mode: "chaos", extra: "1", added: "x" });
    await h.revert();
    const after = e.kube.object(cmRef)!;
    expect(after.data).to.deep.equal(before.data);
    expect(after.metadata.labels).to.deep.equal({ team: "a" });
    expect(after.metadata.uid).to.equal(before.metadata.uid); // restored, not recreated
    expect(e.kube.callsOf("delete")).to.have.length(0);
  });

  it("marks a pre-existing cluster-scoped object with its original before changing it", async () => {
    const e = stepEnv();
    e.kube.put({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "standard" },
      provisioner: "rancher.io/local-path",
      reclaimPolicy: "Delete",
    });
    const ref = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: "standard" };
    const h = await e
      .step("apply", {
        objects: [
          {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "standard" },
            provisioner: "example.com/none",
          },
        ],
      })
      .inject(e.ctx);
    const changed = e.kube.object(ref)!;
    expect(changed.provisioner).to.equal("example.com/none");
    const original = JSON.parse(changed.metadata.annotations![ANNOTATION_ORIGINAL]!);
    expect(original).to.nested.include({ provisioner: "rancher.io/local-path" });
    expect(original.metadata.labels[LABEL_RUN_ID]).to.equal(null);
    await h.revert();
    const restored = e.kube.object(ref)!;
    expect(restored.provisioner).to.equal("rancher.io/local-path");
    expect(restored.metadata.labels ?? {}).to.deep.equal({});
    expect(restored.metadata.annotations ?? {}).to.deep.equal({});
  });

  it("undoes the objects already applied (outside the run's namespace) when a later one fails, then raises the error", async () => {
    const e = stepEnv();
    e.kube.failNext(
      "apply",
      new Error("forbidden: quota exceeded"),
      (a) => (a[0] as { metadata: { name: string } }).metadata.name === "c",
    );
    const objects = ["a", "b", "c"].map((name) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace: OTHER },
      data: {},
    }));
    let error: Error | undefined;
    await e
      .step("apply", { objects })
      .inject(e.ctx)
      .catch((err: Error) => (error = err));
    expect(error?.message).to.match(/^apply ConfigMap\/shared\/c \(.*objects\[2\]\): forbidden: quota exceeded$/);
    expect(e.kube.objects("ConfigMap")).to.deep.equal([]);
    expect(e.kube.callsOf("delete").map((c) => (c.args[0] as { name: string }).name)).to.deep.equal(["b", "a"]);
  });
});
