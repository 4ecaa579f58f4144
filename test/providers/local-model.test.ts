import { expect } from "chai";
import { repairModelledFaults } from "../../src/providers/local/actions.ts";
import type { LocalClusterState } from "../../src/providers/local/state.ts";
import { MODEL_FIELD_MANAGER } from "../../src/sdk/provenance.ts";
import { FakeKube } from "../fakes/kube.ts";
import { conditionFields, node, writtenBy } from "../fakes/objects.ts";

const state: LocalClusterState = {
  name: "t",
  kubernetesVersion: "v1.34.4",
  createdAt: "2026-01-01T00:00:00Z",
  dir: "/nonexistent/t",
  kubeconfig: "/nonexistent/t/admin.kubeconfig",
  apiServer: "https://127.0.0.1:6443",
  ports: { etcdClient: 1, etcdPeer: 2, apiServer: 3 },
  processes: [],
  nodes: "kwok",
};

const full = { type: "DiskPressure", status: "True", message: "kubelet has disk pressure (simulated: no real disk)" };

describe("local kwok model of a full disk", () => {
  it("writes DiskPressure as its own field manager, and repairs only what it wrote (not what its text says)", async () => {
    const kube = new FakeKube();
    kube.put({
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "Stage",
      metadata: { name: "kubedrill-pod-start" },
      spec: { selector: { matchExpressions: [] } },
    });
    kube.put(writtenBy(node("by-model", { conditions: [full] }), MODEL_FIELD_MANAGER, conditionFields("DiskPressure")));
    kube.put(writtenBy(node("by-kubelet", { conditions: [full] }), "kubelet", conditionFields("DiskPressure")));

    expect(await repairModelledFaults(state, kube)).to.deep.equal(["by-model"]);
    const patches = kube.callsOf("patch").filter((c) => (c.args[0] as { kind: string }).kind === "Node");
    expect(patches.map((c) => [(c.args[0] as { name: string }).name, c.args[3]])).to.deep.equal([
      ["by-model", { subresource: "status", fieldManager: MODEL_FIELD_MANAGER }],
    ]);
    expect(kube.object({ apiVersion: "v1", kind: "Node", name: "by-kubelet" })!.status.conditions[0].status).to.equal(
      "True",
    );
  });
});
