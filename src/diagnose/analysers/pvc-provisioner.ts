import type { KObject } from "../../k8s/types.ts";
import type { ClusterSnapshot } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import { nameOf } from "../util/objects.ts";
import type { Cause } from "./pvc-unbound.ts";

/** Part of PVCUnbound: a claim whose external provisioner is not installed. */
/**
 * The PV controller keeps waiting for an external provisioner (ExternalProvisioning seen
 * at least twice: it repeats on every claim sync) and the provisioner never answered (no
 * Provisioning/ProvisioningSucceeded/ProvisioningFailed; a running one answers at once).
 */
export function missingProvisioner(
  snapshot: ClusterSnapshot,
  provisioner: string,
  consumers: KObject[],
  events: KObject[],
): Cause | undefined {
  const waits = events
    .filter((e) => e.reason === "ExternalProvisioning")
    .reduce((n, e) => n + Math.max(1, Number(e.count ?? 1)), 0);
  if (waits < 2) return undefined;
  if (events.some((e) => e.reason === "Provisioning" || e.reason === "ProvisioningSucceeded")) return undefined;
  const csi =
    snapshot.csiDrivers.length === 0
      ? ""
      : snapshot.csiDrivers.some((d) => nameOf(d) === provisioner)
        ? ` (a CSIDriver ${provisioner} is registered, but its provisioner does not answer)`
        : ` (no CSIDriver ${provisioner} is registered; drivers: ${snapshot.csiDrivers.map(nameOf).join(", ")})`;
  return {
    severity: consumers.length ? "critical" : "warning",
    text: `it waits for the external provisioner ${provisioner}, which has not picked it up: the provisioner is not installed or not running${csi}`,
    remedy: REMEDIES.PVCUnbound.provisionerMissing,
  };
}
