import { expect } from "chai";
import { choosePool, nodeBlock, poolOf, requestedPools } from "../../../src/providers/local/nodes/ipam.ts";
import { cniConfig } from "../../../src/providers/local/nodes/cni-config.ts";

describe("real nodes' IPAM: Calico-style IP pools", () => {
  const pool = (name: string, cidr: string, extra: Record<string, unknown> = {}) =>
    poolOf({ metadata: { name }, spec: { cidr, ...extra } });

  it("reads the pod's pool annotation, and refuses one that is not a list of names", () => {
    expect(requestedPools(undefined)).to.equal(undefined);
    expect(requestedPools({ other: "x" })).to.equal(undefined);
    expect(requestedPools({ "cni.projectcalico.org/ipv4pools": '["a","b"]' })).to.deep.equal(["a", "b"]);
    expect(() => requestedPools({ "cni.projectcalico.org/ipv4pools": "a" })).to.throw(
      /not a JSON list of pool names: a/,
    );
    expect(() => requestedPools({ "cni.projectcalico.org/ipv4pools": "[]" })).to.throw(/not a JSON list/);
  });

  it("takes the first named pool that exists and is enabled; says why none is usable", () => {
    const pools = [pool("old", "10.96.0.0/20", { disabled: true }), pool("new", "10.245.0.0/20")];
    expect(choosePool(["old", "new"], pools).name).to.equal("new");
    expect(() => choosePool(["old", "gone"], pools)).to.throw(
      "no enabled IP pool among those the pod asks for (old: disabled; gone: no such IPPool)",
    );
  });

  it("gives each node its own block (Calico's default /26), gateway first, routable as one prefix", () => {
    const p = pool("orders", "10.96.0.0/20");
    expect(p.blockSize).to.equal(26);
    const b0 = nodeBlock(p, 0);
    expect(b0).to.include({ cidr: "10.96.0.0/26", gateway: "10.96.0.1" });
    expect(b0.hosts[0]).to.equal("10.96.0.2");
    expect(b0.hosts.at(-1)).to.equal("10.96.0.62");
    expect(nodeBlock(p, 5)).to.include({ cidr: "10.96.1.64/26", gateway: "10.96.1.65" });
    expect(() => nodeBlock(pool("tiny", "10.1.0.0/26"), 1)).to.throw(/has 1 block\(s\) of \/26: none left for node 1/);
    expect(nodeBlock(pool("odd", "10.1.0.7/24", { blockSize: 28 }), 1)).to.include({ cidr: "10.1.0.16/28" });
  });

  it("is the bridge plugin's IPAM, with host-local on the node's pod CIDR for every other pod", () => {
    const conf = JSON.parse(
      cniConfig({
        node: "worker",
        podCIDR: "10.244.0.0/24",
        ipamDir: "/var/lib/cni/networks",
        ipam: { kubeconfig: "/k", routerPid: 42, nodeIP: "10.250.1.10", nodeIndex: 0 },
      }),
    );
    const ipam = conf.plugins[0].ipam;
    expect(ipam).to.include({ type: "kubedrill-ipam", routerPid: 42, nodeIndex: 0, nodeIP: "10.250.1.10" });
    expect(ipam.fallback).to.deep.equal({
      type: "host-local",
      ranges: [[{ subnet: "10.244.0.0/24" }]],
      routes: [{ dst: "0.0.0.0/0" }],
      dataDir: "/var/lib/cni/networks",
    });
  });
});
