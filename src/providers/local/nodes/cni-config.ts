/**
 * A node's pod network: the bridge plugin on `cni0` (the pods' gateway, first address of
 * the node's pod CIDR), host-local addresses from the pod CIDR, and portmap. No masquerade:
 * pods see each other's real addresses; the router masquerades only towards the host.
 */
export function cniConfig(o: { node: string; podCIDR: string; ipamDir: string }): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: `kubedrill-${o.node}`,
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: o.podCIDR }]],
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: o.ipamDir,
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}
