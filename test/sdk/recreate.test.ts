import { expect } from "chai";
import { ApiError } from "../../src/k8s/rest.ts";
import type { KObject, ObjectRef } from "../../src/k8s/types.ts";
import { recordChange } from "../../src/sdk/record.ts";
import { isImmutableRefusal, RECREATE_WAIT_MS, recreatable } from "../../src/sdk/recreate.ts";
import type { FakeKube } from "../fakes/kube.ts";
import { until } from "../fakes/settle.ts";
import { stepEnv } from "../engine/step-env.ts";

const OTHER = "shared"; // outside the run's namespace: reverted one by one
const claimRef = { apiVersion: "v1", kind: "PersistentVolumeClaim", name: "ledger-data", namespace: OTHER };
const claim = (storageClassName: string): KObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "ledger-data", namespace: OTHER, finalizers: ["kubernetes.io/pvc-protection"] },
  spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  status: { phase: "Pending" },
});
const svcRef = { apiVersion: "v1", kind: "Service", name: "ledger", namespace: OTHER };
const service = (clusterIP: string, selector: Record<string, string>): KObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "ledger", namespace: OTHER },
  spec: { clusterIP, clusterIPs: [clusterIP], selector, ports: [{ port: 80 }] },
});
const immutable = (what: string) =>
  new ApiError(
    `PATCH PersistentVolumeClaim "ledger-data" in ${OTHER}: Invalid (422): PersistentVolumeClaim "ledger-data" is invalid: ${what}\n  spec: {...}`,
    422,
    "Invalid",
  );
/** The restore: the revert's merge patch of the object's spec (not the marking patch). */
const isRestore = (a: unknown[]) => JSON.stringify(a[1]).includes('"spec"');

/** Deleting `ref` only marks it (a finalizer holds it) until the test removes it. */
function holdOnDelete(kube: FakeKube, ref: ObjectRef) {
  const del = kube.delete.bind(kube);
  kube.delete = async (r) => {
    if (r.name !== ref.name || r.kind !== ref.kind) return del(r);
    kube.calls.push({ method: "delete", args: [r] });
    const o = kube.object(r)!;
    kube.put({ ...o, metadata: { ...o.metadata, deletionTimestamp: new Date(kube.clock.now()).toISOString() } });
    return true;
  };
}

/** A claim recorded before a change, then deleted and recreated with another class (a new uid). */
async function recordedThenReplaced(e: ReturnType<typeof stepEnv>) {
  e.kube.put(claim("standard-typo"));
  const recorded = e.kube.object(claimRef)!;
  const undo = await recordChange(e.ctx, recorded, { spec: { storageClassName: true } });
  e.kube.remove(claimRef);
  e.kube.put({ ...claim("standard"), metadata: { ...claim("standard").metadata, labels: { fixed: "yes" } } });
  const replacement = e.kube.object(claimRef)!;
  e.kube.calls.length = 0;
  return { recorded, replacement, undo };
}

describe("revert: recreate when an in-place restore is refused as immutable", () => {
  it("an immutable-field refusal -> delete, wait until gone, create the recorded object; reported as recreated", async () => {
    const e = stepEnv();
    const { recorded, replacement, undo } = await recordedThenReplaced(e);
    e.kube.failNext("patch", immutable("spec: Forbidden: spec is immutable after creation"), isRestore);
    holdOnDelete(e.kube, claimRef);
    const done = undo();
    await until(() => e.clock.pendingSleeps > 0, "the wait for the old claim to go");
    await e.clock.advance(1000); // still held by its finalizer: polled, not created
    expect(e.kube.callsOf("create")).to.deep.equal([]);
    e.kube.remove(claimRef);
    await e.clock.advance(250);
    await done;
    expect(e.kube.calls.map((c) => c.method)).to.deep.equal([
      "get",
      "patch",
      "delete",
      ...Array<string>(6).fill("get"), // at 0, 250, ..., 1000ms still there; at 1250ms gone
      "create",
    ]);
    const now = e.kube.object(claimRef)!;
    expect(now.spec.storageClassName).to.equal("standard-typo");
    expect(now.metadata.uid).to.not.equal(recorded.metadata.uid).and.not.equal(replacement.metadata.uid);
    expect(now.metadata.labels ?? {}).to.deep.equal({}); // the recorded object: no kubedrill marks, not the replacement's
    const created = e.kube.callsOf("create")[0]!.args[0] as KObject;
    for (const k of ["uid", "resourceVersion", "creationTimestamp", "managedFields"])
      expect(created.metadata, k).to.not.have.property(k);
    expect(created).to.not.have.property("status");
    const info = e.log.lines.filter((l) => l.level === "info").map((l) => l.message);
    expect(info).to.deep.equal([
      `recreated PersistentVolumeClaim/${OTHER}/ledger-data: restoring it in place was refused (PersistentVolumeClaim "ledger-data" is invalid: spec: Forbidden: spec is immutable after creation); deleted it, it was gone after 1250ms, created it as recorded`,
    ]);
  });

  it("a Service whose clusterIP the remediation changed is recreated without the old clusterIP", async () => {
    const e = stepEnv();
    e.kube.put(service("10.96.0.10", { app: "ledger" }));
    const recorded = e.kube.object(svcRef)!;
    const undo = await recordChange(e.ctx, recorded, { spec: { clusterIP: true, selector: true } });
    e.kube.remove(svcRef);
    e.kube.put(service("10.96.0.20", { app: "ledger-v2" }));
    e.kube.failNext(
      "patch",
      new ApiError(
        `PATCH Service "ledger" in ${OTHER}: Invalid (422): Service "ledger" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.10"}: may not change once set`,
        422,
        "Invalid",
      ),
      isRestore,
    );
    await undo();
    const created = e.kube.callsOf("create")[0]!.args[0] as KObject;
    expect(created.spec).to.deep.equal({ selector: { app: "ledger" }, ports: [{ port: 80 }] });
    expect(e.kube.object(svcRef)!.spec.selector).to.deep.equal({ app: "ledger" });
    const recreated = e.log.lines.filter((l) =>
      /^recreated Service\/shared\/ledger: .*may not change once set/.test(l.message),
    );
    expect(recreated).to.have.length(1);
  });

  it("a 422 that is not about an immutable field is raised, not turned into a recreate", async () => {
    const e = stepEnv();
    const { undo } = await recordedThenReplaced(e);
    const invalid = new ApiError(
      `PATCH PersistentVolumeClaim "ledger-data" in ${OTHER}: Invalid (422): spec.resources.requests.storage: Invalid value: "-1": must be greater than zero`,
      422,
      "Invalid",
    );
    e.kube.failNext("patch", invalid, isRestore);
    const err = await Promise.resolve(undo()).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(err).to.equal(invalid);
    expect(e.kube.callsOf("delete")).to.deep.equal([]);
    expect(e.kube.callsOf("create")).to.deep.equal([]);
    expect(e.kube.object(claimRef)!.spec.storageClassName).to.equal("standard"); // left as it is
  });

  it("the wait for the old object honours its deadline: nothing is created, the failure names what is left", async () => {
    const e = stepEnv();
    const { undo } = await recordedThenReplaced(e);
    e.kube.failNext("patch", immutable("spec: Forbidden: spec is immutable after creation"), isRestore);
    holdOnDelete(e.kube, claimRef);
    const done = Promise.resolve(undo()).then(
      () => undefined,
      (x: Error) => x,
    );
    await until(() => e.clock.pendingSleeps > 0, "the wait for the old claim to go");
    await e.clock.advance(RECREATE_WAIT_MS - 1);
    expect(e.kube.callsOf("create")).to.deep.equal([]);
    expect(e.clock.pendingSleeps).to.equal(1); // still waiting just before the deadline
    await e.clock.advance(1);
    const err = await done;
    expect(err?.message).to.equal(
      `PersistentVolumeClaim/${OTHER}/ledger-data was deleted to recreate it but is not gone (finalizers: kubernetes.io/pvc-protection): PersistentVolumeClaim/${OTHER}/ledger-data gone not reached after ${RECREATE_WAIT_MS}ms (limit ${RECREATE_WAIT_MS}ms); its recorded state was not created again (logged above)`,
    );
    expect(e.kube.callsOf("create")).to.deep.equal([]);
    const warned = e.log.lines.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warned).to.have.length(1);
    expect(warned[0]).to.match(
      /^recorded PersistentVolumeClaim\/shared\/ledger-data, to create by hand once it is gone: \{/,
    );
    expect(JSON.parse(warned[0]!.slice(warned[0]!.indexOf("{"))).spec.storageClassName).to.equal("standard-typo");
  });
});

describe("isImmutableRefusal / recreatable", () => {
  it("only 422 Invalid (or 403 Forbidden) refusals about immutable fields count", () => {
    const api = (code: number, reason: string, msg: string) =>
      new ApiError(`PATCH x: ${reason} (${code}): ${msg}`, code, reason);
    expect(isImmutableRefusal(api(422, "Invalid", "spec.selector: Invalid value: ...: field is immutable"))).to.equal(
      true,
    );
    expect(isImmutableRefusal(api(403, "Forbidden", "policy: spec.parameters is immutable"))).to.equal(true);
    expect(isImmutableRefusal(api(422, "Invalid", "spec.replicas: Invalid value: -1: must be >= 0"))).to.equal(false);
    expect(isImmutableRefusal(api(409, "Conflict", "the object has been modified"))).to.equal(false);
    expect(isImmutableRefusal(new Error("field is immutable"))).to.equal(false);
  });

  it("strips a Job's generated selector and uid labels, and a claim's binding", () => {
    const job = recreatable({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: OTHER, uid: "u1", resourceVersion: "9", managedFields: [] },
      spec: {
        selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "u1" } },
        template: { metadata: { labels: { "batch.kubernetes.io/controller-uid": "u1", "job-name": "j" } } },
      },
      status: { succeeded: 1 },
    });
    expect(job).to.deep.equal({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: OTHER },
      spec: { template: { metadata: { labels: { "job-name": "j" } } } },
    });
    const pvc = recreatable({
      ...claim("standard"),
      metadata: { name: "c", annotations: { "pv.kubernetes.io/bind-completed": "yes", keep: "1" } },
      spec: { volumeName: "pv-1", storageClassName: "standard" },
    });
    expect(pvc.spec).to.deep.equal({ storageClassName: "standard" });
    expect(pvc.metadata.annotations).to.deep.equal({ keep: "1" });
  });
});
