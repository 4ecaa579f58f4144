import type { KObject } from "../../k8s/types.ts";
import type { Analyser, ClusterSnapshot, Finding } from "../types.ts";
import { REMEDIES } from "../remedies.ts";
import {
  contains,
  containsIp,
  intersection,
  overlaps,
  parseCidrList,
  sameRange,
  tryParseCidr,
  tryParseIp,
  type Cidr,
} from "../util/cidr.ts";
import { internalIPs } from "../util/nodes.ts";
import { nameOf, objectOf } from "../util/objects.ts";

/**
 * Calico IPPools that overlap what they must not. Two CIDR blocks are always either nested
 * or disjoint, so "partial overlap" means a pool that holds the pod CIDR AND more. The rule:
 * - a pool equal to the cluster pod CIDR, or inside it, is the normal setup (no finding);
 * - a pool strictly larger than the pod CIDR is a fault: it hands out pod IPs outside the
 *   cluster's range (the catalogue's "IP pool overlapped the cluster CIDR");
 * - a pool overlapping the service CIDR (either way round) is a fault: pod IPs collide
 *   with ClusterIPs;
 * - a pool holding a node's InternalIP is a fault: pod IPs collide with node addresses;
 * - a pool strictly inside one node's spec.podCIDR(s) is a fault: it splits the range
 *   routed to that node (a pool holding whole node ranges is normal);
 * - two enabled pools that overlap each other are a fault (reported on the second by name).
 * A pool disjoint from the pod CIDR overlaps nothing of it and is not reported here.
 * Disabled pools (spec.disabled: true) are ignored. Unknown ranges are not checked.
 */
const strictlyInside = (inner: Cidr, outer: Cidr): boolean => contains(outer, inner) && !sameRange(inner, outer);

export const ipPoolOverlapAnalyser: Analyser = {
  codes: ["IPPoolOverlap"],
  analyse(snapshot: ClusterSnapshot): Finding[] {
    const services = parseCidrList(snapshot.network.serviceCIDR);
    const podCidrs = parseCidrList(snapshot.network.podCIDR);
    const pools = snapshot.ipPools
      .filter((p) => p.spec?.disabled !== true)
      .map((p) => ({ pool: p, cidr: tryParseCidr(String(p.spec?.cidr ?? "")) }))
      .filter((p): p is { pool: KObject; cidr: Cidr } => p.cidr !== undefined)
      .sort((a, b) => nameOf(a.pool).localeCompare(nameOf(b.pool)));
    const findings: Finding[] = [];
    for (const [i, { pool, cidr }] of pools.entries()) {
      const problems: string[] = [];
      const evidence: string[] = [`IPPool ${nameOf(pool)} spec.cidr=${cidr.text}`];
      for (const s of services.filter((s) => overlaps(cidr, s))) {
        problems.push(`overlaps the service CIDR ${s.text} (shared ${intersection(cidr, s)})`);
        evidence.push(`service CIDR ${s.text}`);
      }
      for (const p of podCidrs.filter((p) => strictlyInside(p, cidr))) {
        problems.push(`extends beyond the cluster pod CIDR ${p.text} (a pool should equal it or lie inside it)`);
        evidence.push(`cluster pod CIDR ${p.text}`);
      }
      const hitNodes: string[] = [];
      for (const node of snapshot.nodes) {
        for (const ip of internalIPs(node)) {
          const addr = tryParseIp(ip);
          if (addr && containsIp(cidr, addr)) hitNodes.push(`${nameOf(node)} ${ip}`);
        }
        const ranges = [
          ...new Set<string>([...(node.spec?.podCIDRs ?? []), ...(node.spec?.podCIDR ? [node.spec.podCIDR] : [])]),
        ];
        for (const r of parseCidrList(ranges.join(","))) {
          if (strictlyInside(cidr, r)) {
            problems.push(`splits node ${nameOf(node)}'s podCIDR ${r.text}`);
            evidence.push(`node ${nameOf(node)} spec.podCIDR=${r.text}`);
          }
        }
      }
      if (hitNodes.length) {
        problems.push(`holds node addresses (${hitNodes.join(", ")})`);
        evidence.push(...hitNodes.map((h) => `node InternalIP ${h}`));
      }
      for (const other of pools.slice(0, i).filter((o) => overlaps(o.cidr, cidr))) {
        problems.push(`overlaps IPPool ${nameOf(other.pool)} (${other.cidr.text})`);
        evidence.push(`IPPool ${nameOf(other.pool)} spec.cidr=${other.cidr.text}`);
      }
      if (problems.length === 0) continue;
      findings.push({
        code: "IPPoolOverlap",
        severity: "critical",
        object: objectOf(pool),
        message: `IPPool ${nameOf(pool)} (${cidr.text}) ${problems.join("; ")}`,
        evidence,
        remedy: REMEDIES.IPPoolOverlap,
      });
    }
    return findings;
  },
};
