import os from "node:os";
import fs from "node:fs/promises";
import path from "node:path";
import type { ProcessRecord } from "../processes.ts";
import type { NodeSpec } from "../topology.ts";
import { createCgroup, joinFiles } from "./cgroups.ts";
import { writeCertKubeconfig, clientCert } from "./certs.ts";
import { cniConfig } from "./cni-config.ts";
import { containerdConfig } from "./containerd-config.ts";
import { run } from "./exec.ts";
import { importImages } from "./images.ts";
import { kubeProxyConfig } from "./kube-proxy-config.ts";
import { kubeletConfig } from "./kubelet-config.ts";
import type { Ledger } from "./ledger.ts";
import { startNodeNamespace } from "./network.ts";
import { makeNodeDisk } from "./disk.ts";
import { kubeconfigFile } from "../paths.ts";
import { podCIDRFor } from "./node-objects.ts";
import { spawnRecorded, untilExecd } from "./spawn.ts";
import type { ClusterNet } from "./subnet.ts";

export interface NodeInputs {
  ledger: Ledger;
  net: ClusterNet;
  router: ProcessRecord;
  dir: string;
  /** cgroup path of the cluster, relative to each hierarchy */
  cgroup: string;
  server: string;
  pkiDir: string;
  caCert: string;
  kubeProxyKubeconfig: string;
  images: string[];
  /** containerd's registry config_path (mirrors to the cluster's registry) */
  registryConfigDir?: string;
  bins: { kubelet: string; "kube-proxy": string; pause: string };
  /** The CNI plugins' folder, with our IPAM (cni-config.ts writeCniBin). */
  cniBinDir: string;
  env: NodeJS.ProcessEnv;
}

/** Certificates first (openssl's CA serial file is shared, so not in parallel). */
export async function nodeKubeconfig(i: NodeInputs, n: NodeSpec): Promise<string> {
  const nodeDir = path.join(i.dir, "nodes", n.name);
  await fs.mkdir(nodeDir, { recursive: true });
  const client = await clientCert(i.pkiDir, `node-${n.name}`, `system:node:${n.name}`, "system:nodes");
  const file = path.join(nodeDir, "kubelet.kubeconfig");
  await writeCertKubeconfig(file, { server: i.server, caCert: i.caCert, client, user: `system:node:${n.name}` });
  return file;
}

/** One real node: namespaces, containerd (with our images), kubelet and kube-proxy. */
export async function startNode(
  i: NodeInputs,
  n: NodeSpec,
  index: number,
  kubeconfig: string,
): Promise<ProcessRecord[]> {
  const nodeDir = path.join(i.dir, "nodes", n.name);
  const podCIDR = podCIDRFor(index);
  const cg = `${i.cgroup}/${n.name}`;
  createCgroup(i.ledger, `${cg}/pods`);
  await makeNodeDisk(i.ledger, nodeDir); // before the namespace, which binds it as /var/lib
  const holder = await startNodeNamespace({ ...i, pause: i.bins.pause, index, name: n.name, podCIDR, nodeDir });
  const socket = path.join(nodeDir, "containerd.sock");
  const files: Record<string, string> = {
    "containerd.toml": containerdConfig({
      root: "/var/lib/containerd",
      state: "/run/containerd",
      socket,
      runcRoot: "/run/containerd/runc",
      cniConfDir: path.join(nodeDir, "cni"),
      cniBinDir: i.cniBinDir,
      registryConfigDir: i.registryConfigDir,
    }),
    "cni/10-kubedrill.conflist": cniConfig({
      node: n.name,
      podCIDR,
      ipamDir: "/var/lib/cni/networks",
      ipam: {
        kubeconfig: kubeconfigFile(i.dir),
        routerPid: i.router.pid,
        nodeIP: i.net.nodeIP(index),
        nodeIndex: index,
      },
    }),
    "kubelet.json": kubeletConfig({
      nodeIP: i.net.nodeIP(index),
      caCert: i.caCert,
      socket,
      cgroupRoot: `/${cg}/pods`,
      hostMemory: os.totalmem(),
      nodeMemory: n.memory,
    }),
    "kube-proxy.json": kubeProxyConfig({ node: n.name, kubeconfig: i.kubeProxyKubeconfig }),
  };
  for (const [f, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(nodeDir, f)), { recursive: true });
    await fs.writeFile(path.join(nodeDir, f), text);
  }
  const launch = (name: string, binary: string, args: string[]) =>
    spawnRecorded(
      i.ledger,
      {
        name: `${n.name}-${name}`,
        binary,
        args,
        logFile: path.join(nodeDir, `${name}.log`),
        cgroupProcs: joinFiles(`${cg}/runtime`),
        enter: { pid: holder.pid, mount: true },
      },
      i.env,
    );
  const containerd = launch("containerd", "/usr/bin/containerd", ["--config", path.join(nodeDir, "containerd.toml")]);
  await untilExecd(containerd);
  await untilAnswers(socket, containerd);
  await importImages(socket, i.images);
  const kubelet = launch("kubelet", i.bins.kubelet, [
    `--config=${path.join(nodeDir, "kubelet.json")}`,
    `--kubeconfig=${kubeconfig}`,
    `--hostname-override=${n.name}`,
    `--node-ip=${i.net.nodeIP(index)}`,
    `--node-labels=topology.kubernetes.io/zone=${n.zone}`,
    "--v=1",
  ]);
  const proxy = launch("kube-proxy", i.bins["kube-proxy"], [
    `--config=${path.join(nodeDir, "kube-proxy.json")}`,
    "--v=1",
  ]);
  await untilExecd(kubelet);
  await untilExecd(proxy);
  return [holder, containerd, kubelet, proxy];
}

async function untilAnswers(socket: string, p: ProcessRecord, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await run("ctr", ["--address", socket, "version"]);
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`containerd of ${p.name} did not answer on ${socket} within ${timeoutMs}ms; see ${p.logFile}`, {
          cause: err,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
