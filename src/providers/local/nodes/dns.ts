import fs from "node:fs/promises";
import path from "node:path";
import type { Component } from "../components.ts";
import { ociArchive } from "../../shared/images/oci.ts";

export const COREDNS_VERSION = "v1.15.0";
export const COREDNS_IMAGE = `kubedrill.local/coredns:${COREDNS_VERSION}`;

/** CoreDNS with a minimal plugin set (go/coredns/main.go lists them), built from the published module. */
export const COREDNS: Component = {
  id: "coredns",
  version: COREDNS_VERSION,
  binaries: ["coredns"],
  recipe: {
    kind: "module",
    dir: "coredns",
    packages: ["."],
    ldflags: "-s -w",
  },
};

/**
 * Packages the CoreDNS binary as an OCI image archive in `dir` (imported into every node's
 * containerd like the other images); returns the archive's path.
 */
export async function writeCoreDNSImage(dir: string, binary: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, "coredns.tar");
  const archive = ociArchive({
    ref: COREDNS_IMAGE,
    files: [
      ...["dev", "etc", "proc", "sys", "tmp"].map((d) => ({ path: d, mode: 0o755 })),
      { path: "coredns", mode: 0o755, data: await fs.readFile(binary) },
    ],
    entrypoint: ["/coredns"],
    exposedPorts: [53],
  });
  await fs.writeFile(file, archive);
  return file;
}
