import { expect } from "chai";
import { pvcUnboundAnalyser } from "../../src/diagnose/analysers/pvc-unbound.ts";
import { emptySnapshot, event, pod, pv, pvc, storageClass } from "./fixtures/builders.ts";

const consumer = (claim: string) =>
  pod("db-0", "shop", {
    volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
    unschedulable:
      "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  });

describe("diagnose: PVCUnbound", () => {
  it("StorageClass named but missing", () => {
    const claim = pvc("data-db-0", "shop", { className: "fast-ssd" });
    const ev = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "data-db-0" },
      "ProvisioningFailed",
      'storageclass.storage.k8s.io "fast-ssd" not found',
      { component: "persistentvolume-controller" },
    );
    const [f, ...rest] = pvcUnboundAnalyser.analyse(
      emptySnapshot({
        persistentVolumeClaims: [claim],
        storageClasses: [storageClass("standard", "rancher.io/local-path")],
        events: [ev],
        pods: [consumer("data-db-0")],
      }),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("critical");
    expect(f?.message).to.equal(
      'claim shop/data-db-0 is Pending: StorageClass "fast-ssd" does not exist (classes: standard); pod db-0 waits for it',
    );
    expect(f?.evidence[0]).to.equal('ProvisioningFailed: storageclass.storage.k8s.io "fast-ssd" not found');
    expect(f?.evidence[1]).to.match(
      /^PodScheduled=False Unschedulable: 0\/3 nodes are available: pod has unbound immediate PersistentVolumeClaims/,
    );
    expect(f?.remedy).to.match(/create the StorageClass/);
  });

  it("a PV that matches everything but the access mode, said precisely", () => {
    const claim = pvc("shared", "shop", { className: "manual", storage: "5Gi", accessModes: ["ReadWriteMany"] });
    const vol = pv("pv-nfs-1", { className: "manual", storage: "10Gi", accessModes: ["ReadWriteOnce"] });
    const ev = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "shared" },
      "FailedBinding",
      "no persistent volumes available for this claim and no storage class is set",
      { type: "Warning", component: "persistentvolume-controller" },
    );
    const [f] = pvcUnboundAnalyser.analyse(
      emptySnapshot({
        persistentVolumeClaims: [claim],
        persistentVolumes: [vol],
        storageClasses: [storageClass("manual", "kubernetes.io/no-provisioner")],
        events: [ev],
      }),
    );
    expect(f?.message).to.equal(
      'claim shop/shared is Pending: StorageClass "manual" has no dynamic provisioner (kubernetes.io/no-provisioner); accessModes mismatch: PV pv-nfs-1 matches class "manual", capacity 10Gi >= 5Gi and volumeMode Filesystem, but its accessModes [ReadWriteOnce] do not include the claim\'s [ReadWriteMany]',
    );
    expect(f?.remedy).to.match(/accessModes/);
    expect(f?.evidence).to.deep.equal([
      "FailedBinding: no persistent volumes available for this claim and no storage class is set",
    ]);
  });

  it("a class name with no StorageClass object still binds statically: the access-mode mismatch is the cause", () => {
    const claim = pvc("reports", "shop", { className: "manual", storage: "5Gi", accessModes: ["ReadWriteMany"] });
    const vol = pv("reports-pv", { className: "manual", storage: "5Gi", accessModes: ["ReadWriteOnce"] });
    const [f] = pvcUnboundAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [claim], persistentVolumes: [vol] }),
    );
    expect(f?.message).to.match(
      /StorageClass "manual" does not exist, so only pre-created volumes of that class can bind, and accessModes mismatch: PV reports-pv/,
    );
    const fits = pvc("reports", "shop", { className: "manual", storage: "5Gi", accessModes: ["ReadWriteOnce"] });
    expect(
      pvcUnboundAnalyser.analyse(emptySnapshot({ persistentVolumeClaims: [fits], persistentVolumes: [vol] })),
      "a fitting static PV: the controller will bind it",
    ).to.deep.equal([]);
  });

  it("capacity too small: names the largest free PV", () => {
    const claim = pvc("big", "shop", { className: "", storage: "50Gi" });
    const vols = [
      pv("pv-a", { className: "", storage: "10Gi" }),
      pv("pv-b", { className: "", storage: "20Gi" }),
      pv("pv-c", { className: "", storage: "100Gi", claim: { name: "other", namespace: "shop" } }),
    ];
    const [f] = pvcUnboundAnalyser.analyse(emptySnapshot({ persistentVolumeClaims: [claim], persistentVolumes: vols }));
    expect(f?.message).to.equal(
      "claim shop/big is Pending: capacity too small: the largest free PV with no class is pv-b (20Gi), the claim requests 50Gi",
    );
  });

  it("no volume pre-created and no class: the article's case", () => {
    const claim = pvc("data", "shop", { className: null });
    const [f] = pvcUnboundAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [claim], pods: [consumer("data")] }),
    );
    expect(f?.message).to.equal(
      "claim shop/data is Pending: no free PersistentVolume with no class exists and nothing provisions one; pod db-0 waits for it",
    );
    expect(f?.remedy).to.match(/provision volumes dynamically through a StorageClass/);
  });

  it("WaitForFirstConsumer with no consumer yet is info, and warns about what will fail", () => {
    const claim = pvc("later", "shop", { className: "local" });
    const sc = storageClass("local", "kubernetes.io/no-provisioner", { mode: "WaitForFirstConsumer" });
    const ev = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "later" },
      "WaitForFirstConsumer",
      "waiting for first consumer to be created before binding",
      { type: "Normal" },
    );
    const [f] = pvcUnboundAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [sc], events: [ev] }),
    );
    expect(f?.severity).to.equal("info");
    expect(f?.message).to.match(
      /binds on first consumer \(WaitForFirstConsumer\) and no pod uses the claim yet; once a pod uses it, it will still fail: no free PersistentVolume/,
    );
    const dynamic = storageClass("local", "rancher.io/local-path", { mode: "WaitForFirstConsumer" });
    const [g] = pvcUnboundAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [dynamic] }),
    );
    expect(g?.message).to.equal(
      'claim shop/later is Pending: StorageClass "local" binds on first consumer (WaitForFirstConsumer) and no pod uses the claim yet',
    );
  });

  it("reports a dynamic provisioner's ProvisioningFailed events, and is silent while it works", () => {
    const claim = pvc("data", "shop", { className: "ebs" });
    const sc = storageClass("ebs", "ebs.csi.aws.com");
    const failed = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "data" },
      "ProvisioningFailed",
      'failed to provision volume with StorageClass "ebs": rpc error: code = Internal desc = Could not create volume: UnauthorizedOperation',
      { component: "ebs.csi.aws.com" },
    );
    const [f] = pvcUnboundAnalyser.analyse(
      emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [sc], events: [failed] }),
    );
    expect(f?.message).to.match(
      /^claim shop\/data is Pending: provisioner ebs.csi.aws.com failed: failed to provision volume with StorageClass "ebs"/,
    );
    const waiting = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "data" },
      "ExternalProvisioning",
      "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator.",
      { type: "Normal" },
    );
    const working = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "data" },
      "Provisioning",
      'External provisioner is provisioning volume for claim "shop/data"',
      { type: "Normal", component: "ebs.csi.aws.com" },
    );
    waiting.count = 3;
    expect(
      pvcUnboundAnalyser.analyse(
        emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [sc], events: [waiting, working] }),
      ),
    ).to.deep.equal([]);
  });

  it("an external provisioner that never picks the claim up is not installed", () => {
    const claim = pvc("data", "shop", { className: "fast" });
    const sc = storageClass("fast", "csi.example.com");
    const waiting = event(
      "shop",
      { kind: "PersistentVolumeClaim", name: "data" },
      "ExternalProvisioning",
      "Waiting for a volume to be created either by the external provisioner 'csi.example.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      { type: "Normal", component: "persistentvolume-controller" },
    );
    const snap = (count: number) => {
      waiting.count = count;
      return emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [sc], events: [waiting] });
    };
    expect(pvcUnboundAnalyser.analyse(snap(1)), "the first wait is normal").to.deep.equal([]);
    const [f, ...rest] = pvcUnboundAnalyser.analyse(snap(4));
    expect(rest).to.deep.equal([]);
    expect(f?.severity).to.equal("warning");
    expect(f?.message).to.equal(
      "claim shop/data is Pending: it waits for the external provisioner csi.example.com, which has not picked it up: the provisioner is not installed or not running",
    );
    expect(f?.evidence[0]).to.match(/^ExternalProvisioning: Waiting for a volume to be created/);
    expect(f?.remedy).to.match(/install and start the provisioner/);
    const user = pod("db-0", "shop", { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] });
    const drivers = [{ apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", metadata: { name: "ebs.csi.aws.com" } }];
    const [g] = pvcUnboundAnalyser.analyse({ ...snap(4), pods: [user], csiDrivers: drivers });
    expect(g?.severity).to.equal("critical");
    expect(g?.message).to.contain("(no CSIDriver csi.example.com is registered; drivers: ebs.csi.aws.com)");
  });

  it("uses the default class for a claim without storageClassName", () => {
    const claim = pvc("data", "shop", { className: null });
    const sc = storageClass("standard", "rancher.io/local-path", { mode: "WaitForFirstConsumer", isDefault: true });
    const [f] = pvcUnboundAnalyser.analyse(emptySnapshot({ persistentVolumeClaims: [claim], storageClasses: [sc] }));
    expect(f?.severity).to.equal("info");
  });

  it("is silent for Bound claims and when a fitting PV exists", () => {
    const bound = pvc("b", "shop", { phase: "Bound" });
    const fits = pvc("f", "shop", { className: "manual", storage: "5Gi" });
    const vol = pv("pv-1", { className: "manual", storage: "5Gi" });
    expect(
      pvcUnboundAnalyser.analyse(
        emptySnapshot({
          persistentVolumeClaims: [bound, fits],
          persistentVolumes: [vol],
          storageClasses: [storageClass("manual", "kubernetes.io/no-provisioner")],
        }),
      ),
    ).to.deep.equal([]);
  });
});
