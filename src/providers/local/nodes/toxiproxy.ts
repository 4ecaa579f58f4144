import { readFile } from "node:fs/promises";
import type { Component } from "../components.ts";
import type { ImageSpec } from "../../shared/images/oci.ts";

export const TOXIPROXY_VERSION = "2.5.0";

/**
 * Shopify's Toxiproxy, a TCP proxy that delays (or cuts) the connections through it on
 * request from its HTTP API: the delaying mechanism of network-latency on a kernel without
 * sch_netem. Built from the published module (go/toxiproxy requires it, as tools): `server`
 * and `cli` are its cmd/server and cmd/cli, which the image names /toxiproxy and
 * /toxiproxy-cli as the published image does.
 */
export const TOXIPROXY: Component = {
  id: "toxiproxy",
  version: `v${TOXIPROXY_VERSION}`,
  binaries: ["server", "cli"],
  recipe: {
    kind: "module",
    dir: "toxiproxy",
    packages: ["github.com/Shopify/toxiproxy/v2/cmd/server", "github.com/Shopify/toxiproxy/v2/cmd/cli"],
    ldflags: `-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`,
  },
};

/**
 * Under the published image's name, so a scenario naming it pulls the real image on kind and
 * this one on local real nodes. Its entrypoint, arguments and port are the published image's
 * (`/toxiproxy -host=0.0.0.0`, API on 8474, `/toxiproxy-cli` beside it); the published one
 * is FROM scratch, this one sits on the busybox layer so `kubectl exec` finds `sh` and `wget`.
 */
export const TOXIPROXY_IMAGE = `ghcr.io/shopify/toxiproxy:${TOXIPROXY_VERSION}`;

export async function toxiproxyImage(bins: { server: string; cli: string }, busybox: Buffer): Promise<ImageSpec> {
  return {
    ref: TOXIPROXY_IMAGE,
    below: [busybox],
    files: [
      { path: "toxiproxy", mode: 0o755, data: await readFile(bins.server) },
      { path: "toxiproxy-cli", mode: 0o755, data: await readFile(bins.cli) },
    ],
    entrypoint: ["/toxiproxy"],
    cmd: ["-host=0.0.0.0"],
    env: [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      `KUBEDRILL_STAND_IN_FOR=${TOXIPROXY_IMAGE}`,
    ],
    exposedPorts: [8474],
  };
}
