import type { ImageSpec } from "./oci.ts";
import { tarArchive } from "./tar.ts";

/**
 * The images the shipped scenarios and manifests name (scenarios/*.yaml, scenarios/manifests/,
 * the filler pod), and what stands in for each on a local cluster with real nodes. An app
 * stand-in runs our `app serve` with the image's ports and health paths; all sit on the
 * busybox layer, so `sh`, `nc` and `wget` are there for `kubectl exec`. A name missing
 * here is not in the registry: pulling it fails with the registry's own "not found".
 * (ghcr.io/shopify/toxiproxy is no stand-in but Toxiproxy itself: local/nodes/toxiproxy.ts.)
 * On kind only the kubedrill.local images are served (kind/registries.ts); the others are
 * pulled from their real registries.
 */
export interface StandIn {
  /** Fully qualified references (docker.io/library/... for official images). */
  refs: string[];
  /** busybox: the real busybox image; debian: busybox plus the host's glibc and sleep. */
  base: "busybox" | "debian";
  /** Serve like the original: ports, what / answers, health paths. */
  app?: { ports: number[]; style: "hello" | "nginx" | "podinfo"; health: string[] };
  /** Default for an app stand-in: `/bin/app serve`. */
  entrypoint?: string[];
  cmd?: string[];
  /** runc creates it at start, as the original image has it */
  workingDir?: string;
  /** More environment in the image config: the defaults an image bakes in (`APP_MAX_WORKERS=1`). */
  env?: string[];
}

/** Our own workload image (serves "hello from HOSTNAME" on 8080). */
export const APP_STAND_IN: StandIn = {
  refs: ["kubedrill.local/app:v1"],
  base: "busybox",
  entrypoint: ["/bin/app"],
  cmd: ["serve"],
  app: { ports: [8080], style: "hello", health: ["/healthz"] },
};

export const STAND_INS: StandIn[] = [
  APP_STAND_IN,
  // a service whose built-in default is one worker, each request holding it for 100ms: it
  // keeps up with 10 requests/s unless started with -max-workers (start-parameters)
  {
    refs: ["kubedrill.local/transcoder:v1"],
    base: "busybox",
    entrypoint: ["/bin/app"],
    cmd: ["serve"],
    // podinfo's JSON names the answering pod, so a route check can tell which Service answered
    app: { ports: [8080], style: "podinfo", health: ["/healthz"] },
    env: ["APP_MAX_WORKERS=1", "APP_WORK=100ms"],
  },
  { refs: ["docker.io/library/nginx:1.27"], base: "busybox", app: { ports: [80], style: "nginx", health: [] } },
  {
    refs: ["ghcr.io/stefanprodan/podinfo:6.7.1"],
    base: "busybox",
    app: { ports: [9898], style: "podinfo", health: ["/healthz", "/readyz"] },
    workingDir: "/home/app",
  },
  { refs: ["docker.io/library/postgres:17"], base: "busybox", app: { ports: [5432], style: "hello", health: [] } },
  { refs: ["docker.io/library/redis:7.4"], base: "busybox", app: { ports: [6379], style: "hello", health: [] } },
  {
    refs: ["docker.io/fluent/fluent-bit:3.2.2", "docker.io/fluent/fluent-bit:3.2.3"],
    base: "busybox",
    app: { ports: [2020], style: "hello", health: ["/api/v1/health"] },
  },
  {
    refs: ["docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36.1", "docker.io/library/busybox:latest"],
    base: "busybox",
    cmd: ["sh"],
  },
  { refs: ["docker.io/library/alpine:3.20"], base: "busybox", cmd: ["/bin/sh"] },
  { refs: ["docker.io/library/debian:12-slim"], base: "debian", cmd: ["sh"] },
];

/** The layer that holds our `app` binary, shared by every app stand-in. */
export const appLayer = (app: Buffer) => tarArchive([{ path: "bin/app", mode: 0o755, data: app }]);

/**
 * Names the original in each image's config, so every name is an image of its own (as
 * fluent-bit:3.2.2 and 3.2.3 are): pulling a new tag writes new content to the node's disk.
 */
const standInFor = (ref: string) => `KUBEDRILL_STAND_IN_FOR=${ref}`;

/** The image spec of a stand-in, given its base layers and the app layer. */
export function standInImage(s: StandIn, ref: string, base: Buffer[], app: Buffer): ImageSpec {
  const path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return {
    ref,
    below: s.app ? [...base, app] : base,
    files: [],
    ...(s.app
      ? {
          entrypoint: s.entrypoint ?? ["/bin/app", "serve"],
          env: [
            path,
            standInFor(ref),
            `APP_PORTS=${s.app.ports.join(",")}`,
            `APP_STYLE=${s.app.style}`,
            `APP_HEALTH=${s.app.health.join(",")}`,
            ...(s.env ?? []),
          ],
          exposedPorts: s.app.ports,
        }
      : { env: [path, standInFor(ref)] }),
    ...(s.cmd ? { cmd: s.cmd } : {}),
    ...(s.workingDir ? { workingDir: s.workingDir } : {}),
  };
}
