import { expect } from "chai";
import { execFileSync } from "node:child_process";
import {
  blockCommands,
  blockNodes,
  KIND_REGISTRY_BLOCK_CHAIN,
  unblockCommands,
  unblockNodes,
} from "../../src/providers/kind/registry-block.ts";
import { memoryLogger } from "../../src/util/log.ts";
import { processRunner, type ProcessRunner } from "../../src/util/process.ts";
import { processResult } from "../fakes/process.ts";
import { rejection } from "./helpers.ts";

const CHAIN = KIND_REGISTRY_BLOCK_CHAIN;
const REGISTRIES = [
  { address: "172.18.0.9", port: 5000 },
  { address: "172.18.0.10", port: 5000 },
];
const ok = (stdout = "") => processResult({ stdout });
const fail = (stderr: string) => processResult({ exitCode: 1, stderr });

/**
 * A fake `docker exec <node> iptables ...` that keeps each node's rules as `iptables -S`
 * prints them, so a sequence of commands is checked by its effect.
 */
function fakeNodes(names: string[], failOn?: (argv: readonly string[]) => string | undefined) {
  const rules = new Map(names.map((n) => [n, ["-P OUTPUT ACCEPT", "-N KUBE-SERVICES"]]));
  const calls: string[] = [];
  const run: ProcessRunner = async (argv) => {
    calls.push(argv.join(" "));
    const failure = failOn?.(argv);
    if (failure) return fail(failure);
    const [bin, verb, node, tool, w, op, ...rest] = argv;
    expect([bin, verb, tool, w]).to.deep.equal(["docker", "exec", "iptables", "-w"]);
    const r = rules.get(node!);
    if (!r) return fail(`Error response from daemon: No such container: ${node}`);
    const line = (chain: string) => [`-A ${chain}`, ...rest.slice(1)].join(" ");
    switch (op) {
      case "-S":
        return ok(r.join("\n") + "\n");
      case "-N":
        if (r.includes(`-N ${rest[0]}`)) return fail("iptables: Chain already exists.");
        r.push(`-N ${rest[0]}`);
        return ok();
      case "-A":
        r.push(line(rest[0]!));
        return ok();
      case "-I":
        r.splice(1, 0, [`-A ${rest[0]}`, ...rest.slice(2)].join(" "));
        return ok();
      case "-D": {
        const i = r.indexOf(line(rest[0]!));
        if (i < 0) return fail("iptables: Bad rule (does a matching rule exist in that chain?).");
        r.splice(i, 1);
        return ok();
      }
      case "-F":
        rules.set(
          node!,
          r.filter((l) => !l.startsWith(`-A ${rest[0]} `)),
        );
        return ok();
      case "-X": {
        const now = rules.get(node!)!;
        if (now.some((l) => l.includes(`-j ${rest[0]}`) || l.startsWith(`-A ${rest[0]} `)))
          return fail("iptables: Too many links.");
        rules.set(
          node!,
          now.filter((l) => l !== `-N ${rest[0]}`),
        );
        return ok();
      }
    }
    return fail(`unexpected ${argv.join(" ")}`);
  };
  return { run, calls, rules: (n: string) => rules.get(n)! };
}

describe("kind: blockRegistry's firewall rule on a node container", () => {
  it("drops what the node sends to each registry, from a chain of ours jumped to first in OUTPUT", () => {
    expect(blockCommands(REGISTRIES).map((c) => c.join(" "))).to.deep.equal([
      `iptables -w -N ${CHAIN}`,
      `iptables -w -A ${CHAIN} -d 172.18.0.9/32 -p tcp --dport 5000 -j DROP`,
      `iptables -w -A ${CHAIN} -d 172.18.0.10/32 -p tcp --dport 5000 -j DROP`,
      `iptables -w -I OUTPUT 1 -j ${CHAIN}`,
    ]);
    expect(() => blockCommands([])).to.throw(/no registry address/);
  });

  it("takes out only what a node holds of the block", () => {
    expect(unblockCommands("-P OUTPUT ACCEPT\n-N KUBE-SERVICES\n")).to.deep.equal([]);
    expect(unblockCommands(`-N ${CHAIN}\n-A OUTPUT -j ${CHAIN}\n-A ${CHAIN} -d 1.2.3.4/32 -j DROP\n`)).to.deep.equal([
      ["iptables", "-w", "-D", "OUTPUT", "-j", CHAIN],
      ["iptables", "-w", "-F", CHAIN],
      ["iptables", "-w", "-X", CHAIN],
    ]);
    // a half-done unblock left the chain without its jump
    expect(unblockCommands(`-N ${CHAIN}\n`)).to.deep.equal([
      ["iptables", "-w", "-F", CHAIN],
      ["iptables", "-w", "-X", CHAIN],
    ]);
    // a similarly named chain of someone else's is not ours
    expect(unblockCommands(`-N ${CHAIN}-OTHER\n-A OUTPUT -j ${CHAIN}-OTHER\n`)).to.deep.equal([]);
  });

  it("blocks every node, reverts to exactly the rules it found, and unblocks idempotently", async () => {
    const nodes = fakeNodes(["kd-worker", "kd-worker2"]);
    const log = memoryLogger();
    const before = [...nodes.rules("kd-worker")];
    const blocked = await blockNodes({ run: nodes.run, log }, ["kd-worker", "kd-worker2"], REGISTRIES);
    for (const n of ["kd-worker", "kd-worker2"]) {
      expect(nodes.rules(n)).to.include(`-A OUTPUT -j ${CHAIN}`);
      expect(nodes.rules(n)).to.include(`-A ${CHAIN} -d 172.18.0.10/32 -p tcp --dport 5000 -j DROP`);
    }
    expect(log.lines.map((l) => l.message)).to.include(
      "node kd-worker2: packets to the registry (172.18.0.9:5000, 172.18.0.10:5000) dropped",
    );
    // the remediation takes one node's block out; the revert then finds only the other
    expect(await unblockNodes({ run: nodes.run, log }, ["kd-worker"])).to.deep.equal(["kd-worker"]);
    await blocked.revert();
    await blocked.revert();
    for (const n of ["kd-worker", "kd-worker2"]) expect(nodes.rules(n)).to.deep.equal(before);
    expect(await unblockNodes({ run: nodes.run, log }, ["kd-worker", "kd-worker2"])).to.deep.equal([]);
  });

  it("replaces a block a crashed run left behind instead of failing on the existing chain", async () => {
    const nodes = fakeNodes(["kd-worker"]);
    const log = memoryLogger();
    await blockNodes({ run: nodes.run, log }, ["kd-worker"], REGISTRIES); // never reverted: the run died
    const again = await blockNodes({ run: nodes.run, log }, ["kd-worker"], [REGISTRIES[0]!]);
    expect(nodes.rules("kd-worker").filter((l) => l.includes(CHAIN))).to.deep.equal([
      `-A OUTPUT -j ${CHAIN}`,
      `-N ${CHAIN}`,
      `-A ${CHAIN} -d 172.18.0.9/32 -p tcp --dport 5000 -j DROP`,
    ]);
    await again.revert();
    expect(nodes.rules("kd-worker").some((l) => l.includes(CHAIN))).to.equal(false);
  });

  it("unblocks the nodes already blocked when a later node fails, and names that node", async () => {
    const nodes = fakeNodes(["kd-worker", "kd-worker2"], (argv) =>
      argv[2] === "kd-worker2" && argv.includes("-I") ? "iptables: Permission denied." : undefined,
    );
    const log = memoryLogger();
    const err = await rejection(() => blockNodes({ run: nodes.run, log }, ["kd-worker", "kd-worker2"], REGISTRIES));
    expect(err.message).to.match(/blocking node kd-worker2's path to the registry: .*Permission denied/s);
    for (const n of ["kd-worker", "kd-worker2"])
      expect(
        nodes.rules(n).some((l) => l.includes(CHAIN)),
        n,
      ).to.equal(false);
  });

  it("reports a node it cannot reach, after trying every other", async () => {
    const nodes = fakeNodes(["kd-worker"]);
    const log = memoryLogger();
    await blockNodes({ run: nodes.run, log }, ["kd-worker"], REGISTRIES);
    const err = await rejection(() => unblockNodes({ run: nodes.run, log }, ["kd-gone", "kd-worker"]));
    expect(err.message).to.match(/1 node\(s\):\nnode kd-gone: .*No such container/s);
    expect(nodes.rules("kd-worker").some((l) => l.includes(CHAIN))).to.equal(false);
  });

  describe("in a real network namespace (the commands kind's nodes run)", function () {
    this.timeout(30_000);
    const ns = `kd-block-test-${process.pid}`;
    let created = false;
    before(function () {
      try {
        execFileSync("iptables", ["--version"], { stdio: "ignore" });
        execFileSync("busybox", ["true"], { stdio: "ignore" });
        if (process.getuid?.() !== 0) throw new Error("not root");
      } catch {
        console.log("    (needs root, iptables and busybox: the rules were not tried in a namespace here)");
        this.skip();
      }
      execFileSync("ip", ["netns", "add", ns]);
      created = true;
      execFileSync("ip", ["netns", "exec", ns, "sh", "-c", "ip link set lo up && ip addr add 10.99.0.1/32 dev lo"]);
    });
    after(() => {
      if (created) execFileSync("ip", ["netns", "del", ns]);
    });

    // `docker exec <node> argv` becomes `ip netns exec <ns> argv`
    const real = processRunner();
    const run: ProcessRunner = (argv, opts) =>
      argv[0] === "docker" && argv[1] === "exec"
        ? real(["ip", "netns", "exec", ns, ...argv.slice(3)], opts)
        : real(argv, opts);
    /** No one listens on the port: a refusal means the packet got there, a time-out that it was dropped. */
    const connect = async () =>
      (await real(["ip", "netns", "exec", ns, "busybox", "nc", "-w", "1", "10.99.0.1", "5000"], { input: "" })).stderr;

    it("drops the node's connections to the registry until unblocked", async () => {
      const log = memoryLogger();
      expect(await connect()).to.match(/refused/);
      const blocked = await blockNodes({ run, log }, [ns], [{ address: "10.99.0.1", port: 5000 }]);
      expect(await connect()).to.match(/timed out/);
      expect(await unblockNodes({ run, log }, [ns])).to.deep.equal([ns]);
      expect(await connect()).to.match(/refused/);
      await blocked.revert();
      const rules = (await real(["ip", "netns", "exec", ns, "iptables", "-w", "-S"])).stdout;
      expect(rules).not.to.include(CHAIN);
    });
  });
});
