import { expect } from "chai";
import { FakeKube } from "../fakes/kube.ts";
import { settled, until } from "../fakes/settle.ts";
import { LocalProvisioner, LOCAL_PROVISIONER } from "../../src/providers/local/provisioner.ts";
import { memoryLogger } from "../../src/util/log.ts";
import type { KObject } from "../../src/k8s/types.ts";

const sc = (name: string, provisioner: string, mode = "Immediate"): KObject =>
  ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name },
    provisioner,
    volumeBindingMode: mode,
    reclaimPolicy: "Delete",
  }) as KObject;
const pvc = (name: string, cls: string, annotations: Record<string, string> = {}): KObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "shop", uid: `uid-${name}`, annotations },
  spec: { storageClassName: cls, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } },
  status: { phase: "Pending" },
});

describe("local provider: the dynamic volume provisioner", () => {
  let kube: FakeKube;
  let stop: () => void;
  const pvs = () => kube.objects("PersistentVolume");

  beforeEach(async () => {
    kube = new FakeKube();
    stop = await new LocalProvisioner(kube, memoryLogger()).start();
  });
  afterEach(() => stop());

  it("creates a PersistentVolume pre-bound to a Pending claim of its class, and an event", async () => {
    kube.put(sc("fast", LOCAL_PROVISIONER));
    kube.put(pvc("data", "fast"));
    await until(() => pvs().length === 1, "a PV");
    const pv = pvs()[0]!;
    expect(pv.spec.claimRef).to.include({ namespace: "shop", name: "data" });
    expect(pv.spec.capacity.storage).to.equal("2Gi");
    expect(pv.spec.storageClassName).to.equal("fast");
    expect(pv.metadata.annotations?.["pv.kubernetes.io/provisioned-by"]).to.equal(LOCAL_PROVISIONER);
    await until(() => kube.objects("Event", "shop").some((e) => e.reason === "ProvisioningSucceeded"), "an event");
  });

  it("leaves other provisioners' claims alone", async () => {
    kube.put(sc("other", "example.com/nfs"));
    kube.put(pvc("data", "other"));
    await settled();
    expect(pvs()).to.deep.equal([]);
    // a claim of its own class, put after the other one, is served: the other was seen and left
    kube.put(sc("fast", LOCAL_PROVISIONER));
    kube.put(pvc("mine", "fast"));
    await until(() => pvs().length === 1, "a PV for the later claim");
    expect(pvs().map((pv) => pv.spec.claimRef.name)).to.deep.equal(["mine"]);
  });

  it("serves a claim whose class is created later", async () => {
    kube.put(pvc("data", "late"));
    await settled();
    expect(pvs()).to.have.length(0);
    kube.put(sc("late", LOCAL_PROVISIONER));
    await until(() => pvs().length === 1, "a PV once the class exists");
  });

  it("waits for the scheduler's node choice with WaitForFirstConsumer, then pins the volume to it", async () => {
    kube.put(sc("wffc", LOCAL_PROVISIONER, "WaitForFirstConsumer"));
    kube.put(pvc("data", "wffc"));
    await settled();
    expect(pvs()).to.have.length(0);
    kube.put(pvc("data", "wffc", { "volume.kubernetes.io/selected-node": "worker3" }));
    await until(() => pvs().length === 1, "a PV after the node was selected");
    expect(JSON.stringify(pvs()[0]!.spec.nodeAffinity)).to.include("worker3");
  });

  it("deletes its Released volumes with reclaimPolicy Delete", async () => {
    kube.put({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pvc-1", annotations: { "pv.kubernetes.io/provisioned-by": LOCAL_PROVISIONER } },
      spec: { persistentVolumeReclaimPolicy: "Delete" },
      status: { phase: "Released" },
    } as KObject);
    kube.put({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "foreign" },
      spec: { persistentVolumeReclaimPolicy: "Delete" },
      status: { phase: "Released" },
    } as KObject);
    await until(() => pvs().length === 1, "only ours deleted");
    expect(pvs()[0]!.metadata.name).to.equal("foreign");
  });
});
