import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../../../util/log.ts";
import { formatMs } from "../../../util/duration.ts";
import type { ProcessRecord } from "../processes.ts";
import { busyboxLayer, glibcLayer } from "../../shared/images/base-layers.ts";
import type { Ledger } from "./ledger.ts";
import { pauseImage } from "./images.ts";
import { Pusher } from "../../shared/images/push.ts";
import { AUTH_REGISTRY_PORT, REGISTRY_PORT, startRegistries } from "./registry.ts";
import { AUTH_REGISTRY_HOST, PRIVATE_APP_IMAGE } from "../../shared/images/names.ts";
import { MIRRORED, writeRegistryHosts } from "../../shared/images/registry-hosts.ts";
import { APP_STAND_IN, appLayer, STAND_INS, standInImage } from "../../shared/images/stand-ins.ts";
import { toxiproxyImage } from "./toxiproxy.ts";
import type { ClusterNet } from "./subnet.ts";

/** containerd's registry config_path for every node of the cluster (the same mirrors for all). */
export const registryHostsDir = (clusterDir: string) => path.join(clusterDir, "registry", "certs.d");

/** Writes the mirrors: the scenarios' registries to the open registry, AUTH_REGISTRY_HOST to the other. */
export async function writeMirrors(clusterDir: string, net: ClusterNet): Promise<string> {
  const open = `http://${net.gateway}:${REGISTRY_PORT}`;
  const hosts = Object.fromEntries(MIRRORED.map((h) => [h, open]));
  hosts[AUTH_REGISTRY_HOST] = `http://${net.gateway}:${AUTH_REGISTRY_PORT}`;
  await writeRegistryHosts(registryHostsDir(clusterDir), hosts);
  return registryHostsDir(clusterDir);
}

export interface PublishInputs {
  ledger: Ledger;
  net: ClusterNet;
  router: ProcessRecord;
  dir: string;
  /** the router's cgroup, relative to each hierarchy */
  cgroup: string;
  bins: { registry: string; app: string; pause: string; toxiproxy: { server: string; cli: string } };
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** Starts the registries and pushes every stand-in (and the private app image); returns their processes. */
export async function publishImages(i: PublishInputs): Promise<ProcessRecord[]> {
  const started = Date.now();
  const { open, auth } = await startRegistries({ ...i, binary: i.bins.registry });
  const up = Date.now();
  const app = appLayer(await readFile(i.bins.app));
  const busybox = busyboxLayer();
  let glibc: Buffer | undefined;
  const pusher = new Pusher(open);
  const jobs = STAND_INS.flatMap((s) => {
    const base = s.base === "debian" ? [busybox, (glibc ??= glibcLayer())] : [busybox];
    return s.refs.map((ref) => () => pusher.pushImage(standInImage(s, ref, base, app)));
  });
  // the first upload holds the shared layers; the rest mount them, side by side
  await jobs[0]!();
  jobs.push(async () => pusher.pushImage(await pauseImage(i.bins.pause)));
  jobs.push(async () => pusher.pushImage(await toxiproxyImage(i.bins.toxiproxy, busybox)));
  await Promise.all(jobs.slice(1).map((j) => j()));
  const count = jobs.length;
  const privatePusher = new Pusher(auth);
  await privatePusher.pushImage(standInImage(APP_STAND_IN, PRIVATE_APP_IMAGE, [busybox], app));
  const mb = ((pusher.bytesSent + privatePusher.bytesSent) / 1e6).toFixed(1);
  i.log.info(
    `real nodes: registry up on ${open.url} in ${formatMs(up - started)}; ${count + 1} images (${mb} MB) pushed in ${formatMs(Date.now() - up)}`,
  );
  return [open.process, auth.process];
}
