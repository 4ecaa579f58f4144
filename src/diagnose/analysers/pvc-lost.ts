import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";

/**
 * Claims in phase Lost: the PersistentVolume they were bound to no longer exists (deleted,
 * or its backing storage removed), so pods using the claim cannot start.
 */
export const pvcLostAnalyser: Analyser = {
  codes: ["PVCLost"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pvc of snapshot.persistentVolumeClaims) {
      if (pvc.status?.phase !== "Lost") continue;
      const volume = pvc.spec?.volumeName as string | undefined;
      const pv = volume ? snapshot.persistentVolumes.find((v) => nameOf(v) === volume) : undefined;
      const users = snapshot.pods.filter(
        (p) =>
          p.metadata.namespace === pvc.metadata.namespace &&
          ((p.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[]).some(
            (v) => v.persistentVolumeClaim?.claimName === nameOf(pvc),
          ),
      );
      findings.push({
        code: "PVCLost",
        severity: "critical",
        object: objectOf(pvc),
        message: `claim ${qualifiedName(pvc)} is Lost: its PersistentVolume ${volume ?? "(none named)"} ${pv ? `is ${String(pv.status?.phase ?? "in an unknown phase")}` : "no longer exists"}${users.length ? `; used by ${users.map((p) => `pod ${nameOf(p)}`).join(", ")}` : ""}`,
        evidence: uniq([
          `PersistentVolumeClaim ${qualifiedName(pvc)} status.phase=Lost spec.volumeName=${volume ?? ""}`,
          ...eventsFor(
            snapshot,
            { kind: "PersistentVolumeClaim", name: nameOf(pvc), namespace: pvc.metadata.namespace },
            ["ClaimLost"],
          ).map(eventText),
        ]),
        remedy: REMEDIES.PVCLost,
      });
    }
    return findings;
  },
};
