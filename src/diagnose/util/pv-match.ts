import type { KObject } from "../../k8s/types.ts";
import { nameOf } from "./objects.ts";
import { formatQuantity, tryParseQuantity } from "./quantity.ts";
import { matchesLabelSelector } from "./selectors.ts";

/**
 * Static binding as the PV controller does it: a PersistentVolume fits a claim when it is
 * free (or pre-bound to the claim), in the same class, at least as large, offers every
 * requested access mode, has the same volumeMode and matches the claim's selector.
 */
interface PvMismatch {
  pv: KObject;
  /** Each criterion the PV fails, worded for a message. */
  failures: string[];
  /** The criteria it meets. */
  meets: string[];
}

const classOfPv = (pv: KObject): string => String(pv.spec?.storageClassName ?? "");
const modes = (o: KObject): string[] => (Array.isArray(o.spec?.accessModes) ? (o.spec.accessModes as string[]) : []);
export const claimSize = (pvc: KObject): bigint | undefined => tryParseQuantity(pvc.spec?.resources?.requests?.storage);
export const pvSize = (pv: KObject): bigint | undefined => tryParseQuantity(pv.spec?.capacity?.storage);
export const bytes = (q: bigint | undefined): string => (q === undefined ? "?" : formatQuantity(q, "bytes"));

function isFreeFor(pv: KObject, pvc: KObject): boolean {
  const ref = pv.spec?.claimRef as { name?: string; namespace?: string } | undefined;
  if (ref?.name) return ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace;
  const phase = pv.status?.phase;
  return phase === undefined || phase === "Available" || phase === "Pending";
}

function checkPv(pv: KObject, pvc: KObject): PvMismatch {
  const failures: string[] = [];
  const meets: string[] = [];
  const want = claimSize(pvc);
  const have = pvSize(pv);
  if (want !== undefined && (have === undefined || have < want))
    failures.push(`capacity ${bytes(have)} is below the requested ${bytes(want)}`);
  else meets.push(`capacity ${bytes(have)} >= ${bytes(want)}`);
  const missing = modes(pvc).filter((m) => !modes(pv).includes(m));
  if (missing.length > 0)
    failures.push(`accessModes [${modes(pv).join(", ")}] do not include the claim's [${modes(pvc).join(", ")}]`);
  else meets.push(`accessModes [${modes(pvc).join(", ")}]`);
  const vmPv = pv.spec?.volumeMode ?? "Filesystem";
  const vmPvc = pvc.spec?.volumeMode ?? "Filesystem";
  if (vmPv !== vmPvc) failures.push(`volumeMode ${vmPv} differs from the claim's ${vmPvc}`);
  else meets.push(`volumeMode ${vmPv}`);
  if (pvc.spec?.selector && !matchesLabelSelector(pvc.spec.selector, pv.metadata.labels ?? {}))
    failures.push("labels do not match the claim's selector");
  if (pvc.spec?.volumeName && pvc.spec.volumeName !== nameOf(pv))
    failures.push(`name is not the claim's spec.volumeName ${pvc.spec.volumeName}`);
  return { pv, failures, meets };
}

/** PVs of the class that are free for the claim, each with what it fails; the best first. */
export function rankPvs(pvs: readonly KObject[], pvc: KObject, className: string): PvMismatch[] {
  return pvs
    .filter((pv) => classOfPv(pv) === className && isFreeFor(pv, pvc))
    .map((pv) => checkPv(pv, pvc))
    .sort((a, b) => a.failures.length - b.failures.length || largerFirst(a, b));
}

function largerFirst(a: PvMismatch, b: PvMismatch): number {
  const sa = pvSize(a.pv) ?? 0n;
  const sb = pvSize(b.pv) ?? 0n;
  return sb > sa ? 1 : sb < sa ? -1 : 0;
}
