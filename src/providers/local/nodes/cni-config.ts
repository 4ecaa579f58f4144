import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RUNNING_COMPILED } from "../../../util/package-root.ts";

/** What the node's IPAM plugin (ipam-main.ts) needs besides the pod CIDR. */
export interface IpamInputs {
  kubeconfig: string;
  routerPid: number;
  nodeIP: string;
  nodeIndex: number;
}

/**
 * A node's pod network: the bridge plugin on `cni0` (made with the node's namespace; the
 * pods' gateway is the first address of the node's pod CIDR, or of the IP pool block),
 * addresses from our IPAM (Calico-style pools for pods that ask, else host-local from the
 * pod CIDR), and portmap. No masquerade: pods see each other's real addresses; the router
 * masquerades only towards the host.
 */
export function cniConfig(o: { node: string; podCIDR: string; ipamDir: string; ipam: IpamInputs }): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: `kubedrill-${o.node}`,
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          // the bridge and its gateway addresses are ours (network.ts, ipam-main.ts): the
          // bridge plugin allows one IPv4 address per bridge, a node with pool blocks has several
          isGateway: false,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "kubedrill-ipam",
            ...o.ipam,
            dataDir: `${o.ipamDir}/kubedrill-pools`,
            fallback: {
              type: "host-local",
              ranges: [[{ subnet: o.podCIDR }]],
              routes: [{ dst: "0.0.0.0/0" }],
              dataDir: o.ipamDir,
            },
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * The cluster's CNI plugin folder (containerd's bin_dir): Debian's plugins, and
 * `kubedrill-ipam`, a script that runs ipam-main with this Node.js.
 */
export async function writeCniBin(clusterDir: string): Promise<string> {
  const dir = path.join(clusterDir, "cni-bin");
  await mkdir(dir, { recursive: true });
  for (const plugin of ["bridge", "host-local", "loopback", "portmap"]) {
    await rm(path.join(dir, plugin), { force: true });
    await symlink(`/usr/lib/cni/${plugin}`, path.join(dir, plugin));
  }
  const main = fileURLToPath(new URL(RUNNING_COMPILED ? "./ipam-main.js" : "./ipam-main.ts", import.meta.url));
  const argv = [process.execPath, ...(RUNNING_COMPILED ? [] : ["--import", import.meta.resolve("tsx")]), main];
  const script = path.join(dir, "kubedrill-ipam");
  await writeFile(script, `#!/bin/sh\nexec ${argv.map(q).join(" ")} "$@"\n`);
  await chmod(script, 0o755);
  return dir;
}
