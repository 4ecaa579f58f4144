import { createHash } from "node:crypto";
import { ClusterError } from "../../../errors.ts";
import { run } from "./exec.ts";

/** Node addresses of one cluster: `PREFIX.k.0/24`, one k per running cluster. */
export const NODE_NET_PREFIX = "10.250";

export interface ClusterNet {
  /** e.g. 10.250.7 */
  base: string;
  /** The router bridge: the nodes' default gateway. */
  gateway: string;
  /** The host's end of the link into the router: the API server binds here. */
  hostIP: string;
  nodeIP(index: number): string;
  /** The host's link into the router namespace (<= 15 characters). */
  hostLink: string;
}

export function clusterNet(name: string, k: number): ClusterNet {
  const base = `${NODE_NET_PREFIX}.${k}`;
  return {
    base,
    gateway: `${base}.1`,
    hostIP: `${base}.2`,
    nodeIP: (i) => `${base}.${10 + i}`,
    hostLink: `kd${createHash("sha256").update(name).digest("hex").slice(0, 10)}`,
  };
}

/**
 * Picks a /24 no address or route on the host uses yet, starting from a hash of the name
 * (the caller holds the network lock while it picks and creates the host link).
 */
export async function pickSubnet(name: string): Promise<number> {
  const used = new Set<number>();
  const text = (await run("ip", ["-4", "-o", "addr", "show"])) + "\n" + (await run("ip", ["-4", "route", "show"]));
  const re = new RegExp(`\\b${NODE_NET_PREFIX.replace(".", "\\.")}\\.(\\d+)\\.`, "g");
  for (const m of text.matchAll(re)) used.add(Number(m[1]));
  const start = parseInt(createHash("sha256").update(name).digest("hex").slice(0, 4), 16) % 250;
  for (let i = 0; i < 250; i++) {
    const k = ((start + i) % 250) + 1;
    if (!used.has(k)) return k;
  }
  throw new ClusterError(`no free ${NODE_NET_PREFIX}.k.0/24 for cluster "${name}": all 250 are in use`);
}
