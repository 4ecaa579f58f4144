import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding, Severity } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { eventsFor, eventText, nameOf, objectOf, qualifiedName, uniq } from "../util/objects.ts";
import { schedulingState } from "../util/pods.ts";
import { bytes, claimSize, pvSize, rankPvs } from "../util/pv-match.ts";
import { missingProvisioner } from "./pvc-provisioner.ts";

/**
 * Pending claims, with the cause: missing StorageClass, no provisioner and no fitting PV
 * (naming the PV that fails only on access modes or size), a provisioner error, an external
 * provisioner that never picks the claim up (not installed), or (info)
 * WaitForFirstConsumer with no consumer yet.
 */
const NO_PROVISIONER = "kubernetes.io/no-provisioner";
const DEFAULT_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

export interface Cause {
  severity: Severity;
  text: string;
  remedy: string;
}

function defaultClass(snapshot: ClusterSnapshot): KObject | undefined {
  return snapshot.storageClasses.find((c) => DEFAULT_ANNOTATIONS.some((a) => c.metadata.annotations?.[a] === "true"));
}

function consumersOf(snapshot: ClusterSnapshot, pvc: KObject): KObject[] {
  return snapshot.pods.filter(
    (p) =>
      p.metadata.namespace === pvc.metadata.namespace &&
      ((p.spec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[]).some(
        (v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name,
      ),
  );
}

/** Why no pre-created volume fits; undefined when one does (the controller will bind it). */
function staticCause(snapshot: ClusterSnapshot, pvc: KObject, className: string): Cause | undefined {
  const ranked = rankPvs(snapshot.persistentVolumes, pvc, className);
  const classText = className ? `class "${className}"` : "no class";
  if (ranked[0] && ranked[0].failures.length === 0) return undefined;
  if (ranked.length === 0) {
    return {
      severity: "critical",
      text: `no free PersistentVolume with ${classText} exists and nothing provisions one`,
      remedy: REMEDIES.PVCUnbound.noVolume,
    };
  }
  const best = ranked[0]!;
  const onlyModes = ranked.find((m) => m.failures.length === 1 && m.failures[0]!.startsWith("accessModes"));
  if (onlyModes) {
    return {
      severity: "critical",
      text: `accessModes mismatch: PV ${nameOf(onlyModes.pv)} matches ${classText}, ${onlyModes.meets.filter((m) => !m.startsWith("accessModes")).join(" and ")}, but its ${onlyModes.failures[0]}`,
      remedy: REMEDIES.PVCUnbound.accessModes,
    };
  }
  if (ranked.every((m) => m.failures.some((f) => f.startsWith("capacity")))) {
    const biggest = ranked.reduce((acc, m) => ((pvSize(m.pv) ?? 0n) > (pvSize(acc.pv) ?? 0n) ? m : acc));
    return {
      severity: "critical",
      text: `capacity too small: the largest free PV with ${classText} is ${nameOf(biggest.pv)} (${bytes(pvSize(biggest.pv))}), the claim requests ${bytes(claimSize(pvc))}`,
      remedy: REMEDIES.PVCUnbound.capacity,
    };
  }
  return {
    severity: "critical",
    text: `no free PV with ${classText} fits (closest: PV ${nameOf(best.pv)}, whose ${best.failures.join("; ")})`,
    remedy: REMEDIES.PVCUnbound.noProvisioner,
  };
}

function causeOf(snapshot: ClusterSnapshot, pvc: KObject, consumers: KObject[], events: KObject[]): Cause | undefined {
  const named = pvc.spec?.storageClassName as string | undefined;
  const cls =
    named === undefined
      ? defaultClass(snapshot)
      : named === ""
        ? undefined
        : snapshot.storageClasses.find((c) => nameOf(c) === named);
  if (named && !cls) {
    // A class name with no StorageClass object still binds statically to PVs of that class.
    const hasStaticPvs = snapshot.persistentVolumes.some((pv) => pv.spec?.storageClassName === named);
    if (hasStaticPvs) {
      const c = staticCause(snapshot, pvc, named);
      if (!c) return undefined;
      c.text = `StorageClass "${named}" does not exist, so only pre-created volumes of that class can bind, and ${c.text}`;
      return c;
    }
    const known = snapshot.storageClasses.map(nameOf);
    return {
      severity: "critical",
      text: `StorageClass "${named}" does not exist (classes: ${known.length ? known.join(", ") : "none"})`,
      remedy: REMEDIES.PVCUnbound.missingClass,
    };
  }
  const className = cls ? nameOf(cls) : "";
  const isStatic = !cls || cls.provisioner === NO_PROVISIONER;
  if (cls?.volumeBindingMode === "WaitForFirstConsumer" && consumers.length === 0) {
    const later = isStatic ? staticCause(snapshot, pvc, className) : undefined;
    const note = later ? `; once a pod uses it, it will still fail: ${later.text}` : "";
    return {
      severity: "info",
      text: `StorageClass "${className}" binds on first consumer (WaitForFirstConsumer) and no pod uses the claim yet${note}`,
      remedy: REMEDIES.PVCUnbound.waitForConsumer,
    };
  }
  if (isStatic) {
    const c = staticCause(snapshot, pvc, className);
    if (c && cls) c.text = `StorageClass "${className}" has no dynamic provisioner (${NO_PROVISIONER}); ${c.text}`;
    return c;
  }
  const failed = events.find((e) => e.reason === "ProvisioningFailed");
  if (failed)
    return {
      severity: "critical",
      text: `provisioner ${String(cls?.provisioner)} failed: ${String(failed.message ?? "")}`,
      remedy: REMEDIES.PVCUnbound.provisioningFailed,
    };
  return missingProvisioner(snapshot, String(cls?.provisioner ?? ""), consumers, events);
}

export const pvcUnboundAnalyser: Analyser = {
  codes: ["PVCUnbound"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const findings: Finding[] = [];
    for (const pvc of snapshot.persistentVolumeClaims) {
      if (pvc.status?.phase !== "Pending" || pvc.metadata.deletionTimestamp) continue;
      const consumers = consumersOf(snapshot, pvc);
      const events = eventsFor(
        snapshot,
        { kind: "PersistentVolumeClaim", name: nameOf(pvc), namespace: pvc.metadata.namespace },
        [
          "ProvisioningFailed",
          "FailedBinding",
          "WaitForFirstConsumer",
          "ExternalProvisioning",
          "Provisioning",
          "ProvisioningSucceeded",
        ],
      );
      const cause = causeOf(snapshot, pvc, consumers, events);
      if (!cause) continue;
      const waiting = consumers.length
        ? `; ${consumers.map((p) => `pod ${nameOf(p)}`).join(", ")} ${consumers.length === 1 ? "waits" : "wait"} for it`
        : "";
      findings.push({
        code: "PVCUnbound",
        severity: cause.severity,
        object: objectOf(pvc),
        message: `claim ${qualifiedName(pvc)} is Pending: ${cause.text}${waiting}`,
        evidence: uniq([...events.map(eventText), ...consumers.flatMap((p) => schedulingState(snapshot, p).evidence)]),
        remedy: cause.remedy,
      });
    }
    return findings;
  },
};
