import { processResult } from "../fakes/process.ts";
import { expect } from "chai";
import { runScenario } from "../../src/engine/runner.ts";
import { ApiError } from "../../src/k8s/rest.ts";
import type { KObject } from "../../src/k8s/types.ts";
import { scenario, spec } from "../fakes/scenario.ts";
import { demoSetup, harness, healthy } from "./harness.ts";

const svcRef = { apiVersion: "v1", kind: "Service", name: "ledger", namespace: "shared" };
const service = (clusterIP: string, app: string): KObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "ledger", namespace: "shared" },
  spec: { clusterIP, clusterIPs: [clusterIP], selector: { app }, ports: [{ port: 80 }] },
});

describe("runScenario: a revert that has to recreate an object", () => {
  it("puts 'recreated' on the timeline and completes the cleanup", async () => {
    const h = harness({
      // the remediation replaces the Service (as `kubectl replace --force` would): a new clusterIP
      exec: async () => {
        h.kube.remove(svcRef);
        h.kube.put(service("10.96.0.20", "ledger"));
        return processResult();
      },
    });
    h.kube.put(service("10.96.0.10", "ledger"));
    h.kube.failNext(
      "patch",
      new ApiError(
        `PATCH Service "ledger" in shared: Invalid (422): Service "ledger" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.10"}: may not change once set`,
        422,
        "Invalid",
      ),
      (a) => JSON.stringify(a[1]).includes('"kubedrill.io/original":null'), // the restore (it also unmarks)
    );
    const r = await runScenario(
      scenario("demo", {
        setup: { steps: [demoSetup()] },
        steadyState: [healthy("yes")],
        fault: [
          spec(
            "patch",
            {
              target: { kind: "Service", name: "ledger", namespace: "shared" },
              patch: { spec: { clusterIP: "10.96.0.10", selector: { app: "ledgr" } } },
            },
            "spec.fault[0]",
          ),
        ],
        detect: { mode: "all", signals: [] },
        remediate: { steps: [spec("command", { run: ["kubectl", "replace", "--force"] }, "spec.remediate.steps[0]")] },
      }),
      h.ctx,
    );
    expect(r.reasons).to.deep.equal([]);
    const recreated = r.timeline.filter((t) => t.what.startsWith("recreated Service/shared/ledger: "));
    expect(recreated.map((t) => t.phase)).to.deep.equal(["cleanup"]);
    expect(r.cleanup.ok, r.cleanup.leftovers.join(", ")).to.equal(true);
    const svc = h.kube.object(svcRef)!;
    expect(svc.spec.selector).to.deep.equal({ app: "ledger" });
    expect(svc.metadata.labels ?? {}).to.deep.equal({}); // the recorded Service, without kubedrill's marks
  });
});
