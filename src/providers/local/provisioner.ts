import type { Kube } from "../../k8s/kube.ts";
import type { KObject } from "../../k8s/types.ts";
import type { Logger } from "../../util/log.ts";

/** The provisioner name a StorageClass uses to get volumes on the local cluster. */
export const LOCAL_PROVISIONER = "kubedrill.io/local-volume";

const PVC = { apiVersion: "v1", kind: "PersistentVolumeClaim" };
const PV = { apiVersion: "v1", kind: "PersistentVolume" };
const SC = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" };

/**
 * A dynamic volume provisioner for the embedded cluster, in the manner of kind's
 * local-path provisioner: for each Pending claim of a StorageClass whose provisioner is
 * LOCAL_PROVISIONER it creates a PersistentVolume pre-bound to the claim (the real PV
 * controller then binds both); with WaitForFirstConsumer it waits for the scheduler's
 * selected-node annotation and pins the volume to that node. Released volumes with
 * reclaimPolicy Delete are deleted. The volumes are hostPath (DirectoryOrCreate) under
 * /var/lib/kubedrill/volumes: on real nodes the kubelet creates and mounts that folder on
 * the node's own disk; on kwok nodes they are records only.
 */
export class LocalProvisioner {
  #classes = new Map<string, KObject>();
  #claims = new Map<string, KObject>();
  #inFlight = new Set<string>();

  constructor(
    private readonly kube: Kube,
    private readonly log: Logger,
  ) {}

  async start(): Promise<() => void> {
    const fail = (e: Error) => this.log.error(`provisioner watch failed: ${e.message}`);
    const handles = [
      await this.kube.watch(
        SC,
        {},
        (e) => {
          if (e.type === "DELETED") return void this.#classes.delete(e.object.metadata.name!);
          this.#classes.set(e.object.metadata.name!, e.object);
          // a class that appears late: serve the claims that were waiting for it
          for (const claim of this.#claims.values()) this.#provision(claim);
        },
        fail,
      ),
      await this.kube.watch(
        PVC,
        {},
        (e) => {
          const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
          if (e.type === "DELETED") return void this.#claims.delete(key);
          this.#claims.set(key, e.object);
          this.#provision(e.object);
        },
        fail,
      ),
      await this.kube.watch(
        PV,
        {},
        (e) => {
          if (e.type !== "DELETED")
            void this.onVolume(e.object).catch((err) =>
              this.log.warn(`deleting volume ${e.object.metadata.name} failed: ${String(err)}`),
            );
        },
        fail,
      ),
    ];
    return () => handles.forEach((h) => h.stop());
  }

  #provision(pvc: KObject): void {
    void this.onClaim(pvc).catch((err) =>
      this.log.warn(`provisioning for claim ${pvc.metadata.namespace}/${pvc.metadata.name} failed: ${String(err)}`),
    );
  }

  async onClaim(pvc: KObject): Promise<void> {
    if (pvc.status?.phase !== "Pending" || pvc.spec?.volumeName || pvc.metadata.deletionTimestamp) return;
    const sc = this.#classes.get(pvc.spec?.storageClassName ?? "");
    if (!sc || sc.provisioner !== LOCAL_PROVISIONER) return;
    const selectedNode = pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"];
    if (sc.volumeBindingMode === "WaitForFirstConsumer" && !selectedNode) return;
    const name = `pvc-${pvc.metadata.uid}`;
    if (this.#inFlight.has(name)) return;
    this.#inFlight.add(name);
    try {
      if (await this.kube.get({ ...PV, name })) return;
      const storage = pvc.spec?.resources?.requests?.storage ?? "1Gi";
      await this.kube.create({
        ...PV,
        metadata: {
          name,
          labels: { "app.kubernetes.io/managed-by": "kubedrill" },
          annotations: { "pv.kubernetes.io/provisioned-by": LOCAL_PROVISIONER },
        },
        spec: {
          capacity: { storage },
          accessModes: pvc.spec?.accessModes ?? ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: (sc.reclaimPolicy as string | undefined) ?? "Delete",
          storageClassName: sc.metadata.name,
          volumeMode: pvc.spec?.volumeMode ?? "Filesystem",
          hostPath: { path: `/var/lib/kubedrill/volumes/${name}`, type: "DirectoryOrCreate" },
          claimRef: {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            namespace: pvc.metadata.namespace,
            name: pvc.metadata.name,
            uid: pvc.metadata.uid,
          },
          ...(selectedNode
            ? {
                nodeAffinity: {
                  required: {
                    nodeSelectorTerms: [
                      { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [selectedNode] }] },
                    ],
                  },
                },
              }
            : {}),
        },
      });
      await this.event(
        pvc,
        "ProvisioningSucceeded",
        `Successfully provisioned volume ${name} (${storage}) by ${LOCAL_PROVISIONER}`,
      );
      this.log.info(`provisioned ${name} for claim ${pvc.metadata.namespace}/${pvc.metadata.name}`);
    } finally {
      this.#inFlight.delete(name);
    }
  }

  async onVolume(pv: KObject): Promise<void> {
    if (pv.metadata.annotations?.["pv.kubernetes.io/provisioned-by"] !== LOCAL_PROVISIONER) return;
    if (pv.status?.phase === "Released" && pv.spec?.persistentVolumeReclaimPolicy === "Delete") {
      await this.kube.delete({ ...PV, name: pv.metadata.name! });
    }
  }

  async event(obj: KObject, reason: string, message: string): Promise<void> {
    const now = new Date().toISOString();
    await this.kube
      .create({
        apiVersion: "v1",
        kind: "Event",
        metadata: { generateName: `${obj.metadata.name}.`, namespace: obj.metadata.namespace },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
        },
        reason,
        message,
        type: "Normal",
        source: { component: LOCAL_PROVISIONER },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      })
      .catch(() => undefined);
  }
}
