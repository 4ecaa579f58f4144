/**
 * Pod addresses on real nodes, as Calico's IPAM hands them out for the parts our scenarios
 * use (docs/ipam.md):
 * - a pod annotated `cni.projectcalico.org/ipv4pools: '["pool", ...]'` gets an address from
 *   the first named IPPool (crd.projectcalico.org/v1) that exists and is not `disabled`;
 * - each node owns one block of `blockSize` (default 26) in a pool: the block whose index is
 *   the node's index (Calico assigns blocks to nodes through block affinities; ours are
 *   fixed, so they need no objects), its first address is the node's gateway in it, and
 *   the router gets a route for the block via the node, as Calico programs one per block;
 * - every other pod gets an address from its node's pod CIDR (host-local), which stands for
 *   the cluster's default pool.
 */
export const POOLS_ANNOTATION = "cni.projectcalico.org/ipv4pools";

export interface IPPool {
  name: string;
  cidr: string;
  blockSize: number;
  disabled: boolean;
}

/** The pool names a pod asks for; a malformed annotation is an error the pod's events show. */
export function requestedPools(annotations: Record<string, string> | undefined): string[] | undefined {
  const raw = annotations?.[POOLS_ANNOTATION];
  if (raw === undefined) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(raw);
  } catch {
    throw new Error(`annotation ${POOLS_ANNOTATION} is not a JSON list of pool names: ${raw}`);
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string") || names.length === 0)
    throw new Error(`annotation ${POOLS_ANNOTATION} is not a JSON list of pool names: ${raw}`);
  return names as string[];
}

/** The pool to allocate from: the first requested one that exists and is enabled. */
export function choosePool(requested: string[], pools: IPPool[]): IPPool {
  for (const name of requested) {
    const p = pools.find((x) => x.name === name);
    if (p && !p.disabled) return p;
  }
  const why = requested.map((n) => {
    const p = pools.find((x) => x.name === n);
    return `${n}: ${p ? "disabled" : "no such IPPool"}`;
  });
  throw new Error(`no enabled IP pool among those the pod asks for (${why.join("; ")})`);
}

const toInt = (ip: string) => ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
const toIP = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  return { base: toInt(m[1]!) - (toInt(m[1]!) % size), prefix };
}

/** The node's block in a pool: its CIDR, its gateway (first address), and the addresses pods get. */
export function nodeBlock(pool: IPPool, nodeIndex: number): { cidr: string; gateway: string; hosts: string[] } {
  const { base, prefix } = parseCidr(pool.cidr);
  const size = 2 ** (32 - pool.blockSize);
  if (pool.blockSize < prefix)
    throw new Error(`IPPool ${pool.name}: blockSize ${pool.blockSize} is larger than ${pool.cidr}`);
  const blocks = 2 ** (pool.blockSize - prefix);
  if (nodeIndex >= blocks)
    throw new Error(
      `IPPool ${pool.name} (${pool.cidr}) has ${blocks} block(s) of /${pool.blockSize}: none left for node ${nodeIndex}`,
    );
  const start = base + nodeIndex * size;
  const hosts: string[] = [];
  // the block's first address is the gateway, its last the broadcast of the bridge subnet
  for (let i = 2; i < size - 1; i++) hosts.push(toIP(start + i));
  return { cidr: `${toIP(start)}/${pool.blockSize}`, gateway: toIP(start + 1), hosts };
}

/** An IPPool object as the pool it describes (Calico's defaults: blockSize 26, enabled). */
export function poolOf(o: { metadata?: { name?: string }; spec?: Record<string, unknown> }): IPPool {
  return {
    name: o.metadata?.name ?? "",
    cidr: String(o.spec?.cidr ?? ""),
    blockSize: typeof o.spec?.blockSize === "number" ? o.spec.blockSize : 26,
    disabled: o.spec?.disabled === true,
  };
}
