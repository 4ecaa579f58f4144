import { createHash } from "node:crypto";
import { tarArchive, type TarEntry } from "./tar.ts";

export interface ImageSpec {
  /** Full reference, e.g. `registry.k8s.io/pause:3.10.1`. */
  ref: string;
  /** The top layer of the root file system (none when empty). */
  files: TarEntry[];
  /** Layers beneath `files` (tar archives, lowest first), shared between images. */
  below?: Buffer[];
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  exposedPorts?: number[];
  workingDir?: string;
}

/** An image as a registry stores it: uncompressed layers, the config and the manifest. */
export interface ImageBlobs {
  layers: Buffer[];
  config: Buffer;
  manifest: Buffer;
}

export const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

export const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** The blobs of an image; the same spec gives the same digests. */
export function imageBlobs(spec: ImageSpec): ImageBlobs {
  const layers = [...(spec.below ?? []), ...(spec.files.length ? [tarArchive(spec.files)] : [])];
  const config = json({
    architecture: "amd64",
    os: "linux",
    config: {
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      Env: spec.env ?? ["PATH=/usr/local/bin:/usr/bin:/bin"],
      ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
      ...(spec.exposedPorts
        ? { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((p) => [`${p}/tcp`, {}])) }
        : {}),
    },
    rootfs: { type: "layers", diff_ids: layers.map(sha256) },
    history: layers.map(() => ({ created_by: "kubedrill", created: "1970-01-01T00:00:00Z" })),
    created: "1970-01-01T00:00:00Z",
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({
      mediaType: "application/vnd.oci.image.layer.v1.tar",
      digest: sha256(l),
      size: l.length,
    })),
  });
  return { layers, config, manifest };
}

/**
 * An OCI image layout archive (oci-layout, index.json, blobs/sha256/...) with uncompressed
 * layers, as `ctr images import` reads it. The image's name is carried in the index's
 * annotations.
 */
export function ociArchive(spec: ImageSpec): Buffer {
  const { layers, config, manifest } = imageBlobs(spec);
  const tag = spec.ref.slice(spec.ref.lastIndexOf(":") + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      {
        mediaType: MANIFEST_TYPE,
        digest: sha256(manifest),
        size: manifest.length,
        platform: { architecture: "amd64", os: "linux" },
        annotations: { "io.containerd.image.name": spec.ref, "org.opencontainers.image.ref.name": tag },
      },
    ],
  });
  const blob = (b: Buffer): TarEntry => ({ path: `blobs/sha256/${sha256(b).slice(7)}`, mode: 0o644, data: b });
  return tarArchive([
    { path: "oci-layout", mode: 0o644, data: json({ imageLayoutVersion: "1.0.0" }) },
    { path: "index.json", mode: 0o644, data: index },
    { path: "blobs", mode: 0o755 },
    { path: "blobs/sha256", mode: 0o755 },
    ...[...new Map(layers.map((l) => [sha256(l), l])).values()].map(blob),
    blob(config),
    blob(manifest),
  ]);
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
