import { expect } from "chai";
import { realNodeApiServerArgs } from "../../../src/providers/local/nodes/apiserver-args.ts";
import { podCIDRFor, realNodeObject } from "../../../src/providers/local/nodes/node-objects.ts";
import { defaultNodes } from "../../../src/providers/local/topology.ts";

describe("real nodes: control-plane wiring", () => {
  it("moves the API server to the router link and turns on the Node authorizer and NodeRestriction", () => {
    const args = realNodeApiServerArgs(
      [
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--endpoint-reconciler-type=none",
        "--authorization-mode=RBAC",
        "--secure-port=6443",
      ],
      { hostIP: "10.250.7.2", kubeletClient: { cert: "c.crt", key: "c.key" } },
    );
    expect(args).to.include.members([
      "--secure-port=6443",
      "--bind-address=10.250.7.2",
      "--advertise-address=10.250.7.2",
      "--authorization-mode=Node,RBAC",
      "--enable-admission-plugins=NodeRestriction",
      "--kubelet-preferred-address-types=InternalIP",
      "--kubelet-client-certificate=c.crt",
    ]);
    expect(args.filter((a) => a.startsWith("--bind-address="))).to.have.length(1);
    expect(args.some((a) => a.startsWith("--endpoint-reconciler-type="))).to.equal(false);
  });

  it("gives worker i the pod CIDR 10.244.i.0/24 and the kwok topology's labels", () => {
    const nodes = defaultNodes();
    expect(nodes.map((_, i) => podCIDRFor(i))).to.deep.equal(nodes.map((_, i) => `10.244.${i}.0/24`));
    const o = realNodeObject(nodes[5]!, 5) as {
      metadata: { labels: Record<string, string> };
      spec: { podCIDR: string };
    };
    expect(o.metadata.labels["topology.kubernetes.io/zone"]).to.equal("zone-c");
    expect(o.metadata.labels).to.have.property("node-role.kubernetes.io/worker");
    expect(o.spec.podCIDR).to.equal("10.244.5.0/24");
  });
});
