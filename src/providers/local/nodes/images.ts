import fs from "node:fs/promises";
import path from "node:path";
import { ociArchive } from "../../shared/images/oci.ts";
import { SANDBOX_IMAGE } from "./containerd-config.ts";
import { run } from "./exec.ts";
import type { Logger } from "../../../util/log.ts";
import { ensureBinaries } from "../build.ts";
import { NODE_COMPONENTS } from "./components.ts";
import { REGISTRY_COMPONENT } from "./registry.ts";

/** Our stand-in workload image: `app serve|connect|sleep|exit` (see go/images/app). */
export const APP_IMAGE = "kubedrill.local/app:v1";

const ROOT_DIRS = ["bin", "dev", "etc", "proc", "sys", "tmp"].map((d) => ({ path: d, mode: 0o755 }));

/**
 * Writes the sandbox image as an OCI archive into `dir`; returns its path. Nodes import it, so
 * they start before the cluster's registry does; every other image comes from the registry
 * (publish.ts), `APP_IMAGE` included.
 */
export async function writeImages(dir: string, bins: { pause: string }): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const images = [{ file: "pause.tar", spec: await pauseImage(bins.pause) }];
  const files: string[] = [];
  for (const i of images) {
    const file = path.join(dir, i.file);
    await fs.writeFile(file, ociArchive(i.spec));
    files.push(file);
  }
  return files;
}

/**
 * The sandbox image. Nodes import it, and the registry serves it too: under disk pressure
 * the kubelet's image garbage collection may delete it (containerd 1.6 does not pin it), and
 * the node must be able to pull it back.
 */
export async function pauseImage(pause: string) {
  return {
    ref: SANDBOX_IMAGE,
    files: [...ROOT_DIRS, { path: "pause", mode: 0o755, data: await fs.readFile(pause) }],
    entrypoint: ["/pause"],
  };
}

/** Imports image archives into a node's containerd, in the namespace the CRI plugin uses. */
export async function importImages(socket: string, files: string[]): Promise<void> {
  for (const f of files) await run("ctr", ["--address", socket, "-n", "k8s.io", "images", "import", f]);
}

/**
 * The registry (whose binary also writes htpasswd files) and our app, built from Go and
 * cached as for real nodes: what kind's registries need to serve kubedrill's images.
 */
export async function buildImageBinaries(o: {
  log: Logger;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}): Promise<{ registry: string; app: string }> {
  const images = NODE_COMPONENTS.filter((c) => c.binaries.includes("app"));
  const bins = await ensureBinaries({ ...o, components: [REGISTRY_COMPONENT, ...images] });
  return { registry: bins.registry!, app: bins.app! };
}
