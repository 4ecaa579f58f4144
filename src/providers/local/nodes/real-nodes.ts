import path from "node:path";
import type { Logger } from "../../../util/log.ts";
import { ensureBinaries } from "../build.ts";
import type { ProcessRecord } from "../processes.ts";
import { acquireDirLock } from "../lock.ts";
import { stateRoot } from "../paths.ts";
import * as topo from "../topology.ts";
import type { Kube } from "../../../k8s/kube.ts";
import type { KObject } from "../../../k8s/types.ts";
import { realNodeApiServerArgs } from "./apiserver-args.ts";
import { clientCert, writeCertKubeconfig } from "./certs.ts";
import { NODE_COMPONENTS } from "./components.ts";
import { NODE_ADDONS, addonImages, startAddons } from "./addons.ts";
import { writeImages } from "./images.ts";
import { Ledger, ledgerFile } from "./ledger.ts";
import { startRouter } from "./network.ts";
import { nodeKubeconfig, startNode, type NodeInputs } from "./node.ts";
import { realNodeObject } from "./node-objects.ts";
import { publishImages, writeMirrors } from "./publish.ts";
import { REGISTRY_COMPONENT } from "./registry.ts";
import { TOXIPROXY } from "./toxiproxy.ts";
import { clusterNet, pickSubnet, type ClusterNet } from "./subnet.ts";
import { writeCniBin } from "./cni-config.ts";

export interface RealNodes {
  net: ClusterNet;
  /** Replaces the API server's flags once the PKI exists. */
  apiServerArgs(base: string[], pkiDir: string): Promise<string[]>;
  /** Creates the Node objects and starts every node; returns the processes started. */
  start(o: { kube: Kube; server: string; pkiDir: string; caCert: string }): Promise<ProcessRecord[]>;
}

/**
 * Real nodes, step one: before the control plane starts, build the node binaries, pick the
 * cluster's node subnet and start its router (the API server binds to the host's end of it).
 */
export async function prepareRealNodes(o: {
  name: string;
  dir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}): Promise<RealNodes> {
  const bins = await ensureBinaries({
    log: o.log,
    env: o.env,
    components: [...NODE_COMPONENTS, REGISTRY_COMPONENT, ...NODE_ADDONS, TOXIPROXY],
    signal: o.signal,
  });
  const ledger = new Ledger(ledgerFile(o.dir));
  ledger.save();
  const cgroup = `kubedrill/${o.name}`;
  const lock = await acquireDirLock(path.join(stateRoot(o.env), "..", "network.lock"), {
    log: o.log,
    what: "the node subnets",
    done: () => false,
    signal: o.signal,
  });
  let net: ClusterNet;
  let router: ProcessRecord;
  try {
    net = clusterNet(o.name, await pickSubnet(o.name));
    router = await startRouter({ ledger, net, dir: o.dir, cgroup, pause: bins.pause!, env: o.env });
  } finally {
    await lock?.release();
  }
  o.log.info(`real nodes: router namespace up, nodes on ${net.base}.0/24, API server on ${net.hostIP}`);
  return {
    net,
    async apiServerArgs(base, pkiDir) {
      const kubeletClient = await clientCert(
        pkiDir,
        "apiserver-kubelet-client",
        "kube-apiserver-kubelet-client",
        "system:masters",
      );
      return realNodeApiServerArgs(base, { hostIP: net.hostIP, kubeletClient });
    },
    async start(s) {
      const proxyClient = await clientCert(s.pkiDir, "kube-proxy", "system:kube-proxy");
      const kubeProxyKubeconfig = path.join(o.dir, "kube-proxy.kubeconfig");
      await writeCertKubeconfig(kubeProxyKubeconfig, {
        server: s.server,
        caCert: s.caCert,
        client: proxyClient,
        user: "system:kube-proxy",
      });
      const images = await writeImages(path.join(o.dir, "images"), { pause: bins.pause! });
      images.push(...(await addonImages(path.join(o.dir, "images"), bins)));
      const registryConfigDir = await writeMirrors(o.dir, net);
      const cniBinDir = await writeCniBin(o.dir);
      const inputs: NodeInputs = {
        ledger,
        net,
        router,
        dir: o.dir,
        cgroup,
        server: s.server,
        pkiDir: s.pkiDir,
        caCert: s.caCert,
        kubeProxyKubeconfig,
        images,
        registryConfigDir,
        cniBinDir,
        bins: { kubelet: bins.kubelet!, "kube-proxy": bins["kube-proxy"]!, pause: bins.pause! },
        env: o.env,
      };
      const nodes = topo.defaultNodes();
      const kubeconfigs: string[] = [];
      for (const n of nodes) kubeconfigs.push(await nodeKubeconfig(inputs, n));
      for (const [i, n] of nodes.entries()) await s.kube.create(realNodeObject(n, i) as KObject);
      // all settle before an error is passed on, so the ledger is complete when it is undone
      const settled = await Promise.allSettled([
        ...nodes.map((n, i) => startNode(inputs, n, i, kubeconfigs[i]!)),
        publishImages({
          ...inputs,
          cgroup: `${cgroup}/router`,
          bins: {
            registry: bins.registry!,
            app: bins.app!,
            pause: bins.pause!,
            toxiproxy: { server: bins.server!, cli: bins.cli! },
          },
          log: o.log,
        }),
      ]);
      const failed = settled.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      const started = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      const holders = nodes.map((n, i) => ({ name: n.name, holder: started[i]![0]! }));
      const addons = await startAddons({ ...inputs, kube: s.kube, bins, nodes: holders });
      ledger.data.complete = true;
      ledger.save();
      return [router, ...started.flat(), ...addons];
    },
  };
}
