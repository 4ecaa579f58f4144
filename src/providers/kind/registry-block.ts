import { ClusterError } from "../../errors.ts";
import { revertible, type Revertible } from "../../sdk/revertible.ts";
import type { Logger } from "../../util/log.ts";
import { describeFailure, type ProcessRunner } from "../../util/process.ts";

/**
 * The chain blockRegistry adds to a kind node's own firewall (one name, ours). kind's
 * nodes run iptables (kube-proxy and kindnet need it; nft is not in every node image), so
 * the rule is an iptables chain jumped to from OUTPUT: the output hook sees only what the
 * node container itself sends (containerd's pulls), not its pods' forwarded packets.
 */
export const KIND_REGISTRY_BLOCK_CHAIN = "KUBEDRILL-REGISTRY-BLOCK";

/** Where the nodes reach a registry: its address on the `kind` Docker network and its port. */
export interface RegistryEndpoint {
  address: string;
  port: number;
}

/**
 * The commands that cut a node's path to the registries, in order: a chain of ours whose
 * rules drop (not reject) what goes to each registry, and the jump to it at the top of
 * OUTPUT. Dropped, not rejected: a firewall that silently discards makes pulls time out.
 */
export function blockCommands(registries: RegistryEndpoint[]): string[][] {
  if (registries.length === 0) throw new ClusterError("blockRegistry: no registry address to block");
  const chain = KIND_REGISTRY_BLOCK_CHAIN;
  return [
    ["iptables", "-w", "-N", chain],
    ...registries.map((r) => [
      "iptables",
      "-w",
      "-A",
      chain,
      "-d",
      `${r.address}/32`,
      "-p",
      "tcp",
      "--dport",
      String(r.port),
      "-j",
      "DROP",
    ]),
    ["iptables", "-w", "-I", "OUTPUT", "1", "-j", chain],
  ];
}

/**
 * The commands that take whatever of the block a node holds out again, given its rules as
 * `iptables -S` prints them: the jump first, then the chain's rules and the chain. An
 * earlier unblock that stopped half-way leaves a part; this takes the rest.
 */
export function unblockCommands(listing: string): string[][] {
  const chain = KIND_REGISTRY_BLOCK_CHAIN;
  const lines = listing.split("\n").map((l) => l.trim());
  const jumps = lines.filter((l) => l === `-A OUTPUT -j ${chain}`).length;
  return [
    ...Array.from({ length: jumps }, () => ["iptables", "-w", "-D", "OUTPUT", "-j", chain]),
    ...(lines.includes(`-N ${chain}`)
      ? [
          ["iptables", "-w", "-F", chain],
          ["iptables", "-w", "-X", chain],
        ]
      : []),
  ];
}

/** Every rule of the node's filter table (`iptables -S`; the probe for `-S <chain>` is unreliable on iptables-nft). */
const listRules = ["iptables", "-w", "-S"];

interface NodeFirewall {
  run: ProcessRunner;
  log: Logger;
  /** The container runtime CLI (docker). */
  binary?: string;
}

const inNode = (binary: string, node: string, argv: string[]) => [binary, "exec", node, ...argv];

/**
 * Adds the block to each node container. If one node fails, the nodes already blocked
 * (and the one that failed part-way) are unblocked before the error is thrown. Revert
 * unblocks them all; a node already unblocked (by the `unblockRegistry` step) is fine.
 * A block left on a node by a run that died is taken out first.
 */
export async function blockNodes(
  fw: NodeFirewall,
  nodes: string[],
  registries: RegistryEndpoint[],
): Promise<Revertible> {
  const commands = blockCommands(registries);
  const touched: string[] = [];
  const undo = revertible(async () => void (await unblockNodes(fw, touched)));
  try {
    // a block a crashed run left on these nodes goes first, so that the chain can be made anew
    await unblockNodes(fw, nodes);
    for (const node of nodes) {
      touched.push(node);
      for (const argv of commands) {
        const r = await fw.run(inNode(fw.binary ?? "docker", node, argv), { timeoutMs: 30_000 });
        if (r.exitCode !== 0)
          throw new ClusterError(`blocking node ${node}'s path to the registry: ${describeFailure(r, 30_000)}`);
      }
      fw.log.info(
        `node ${node}: packets to the registry (${registries.map((r) => `${r.address}:${r.port}`).join(", ")}) dropped`,
        { node },
      );
    }
  } catch (err) {
    await undo
      .revert()
      .catch((e: unknown) => fw.log.error(`undo after a failed block: ${e instanceof Error ? e.message : String(e)}`));
    throw err;
  }
  return undo;
}

/**
 * Takes the chain out of each node container that holds it; returns the nodes it was
 * taken from. A node without it is skipped, so this is idempotent; every node is tried and
 * every failure reported.
 */
export async function unblockNodes(fw: NodeFirewall, nodes: string[]): Promise<string[]> {
  const binary = fw.binary ?? "docker";
  const unblocked: string[] = [];
  const failures: string[] = [];
  for (const node of nodes) {
    try {
      const listed = await fw.run(inNode(binary, node, listRules), { timeoutMs: 30_000 });
      if (listed.exitCode !== 0) throw new ClusterError(describeFailure(listed, 30_000));
      const commands = unblockCommands(listed.stdout);
      if (commands.length === 0) continue;
      for (const argv of commands) {
        const r = await fw.run(inNode(binary, node, argv), { timeoutMs: 30_000 });
        if (r.exitCode !== 0) throw new ClusterError(describeFailure(r, 30_000));
      }
      unblocked.push(node);
      fw.log.info(`node ${node}: the path to the registry is open again`, { node });
    } catch (err) {
      failures.push(`node ${node}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failures.length > 0)
    throw new ClusterError(
      `could not take the registry block out of ${failures.length} node(s):\n${failures.join("\n")}`,
    );
  return unblocked;
}
